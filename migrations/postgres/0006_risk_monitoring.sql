-- 5.3-c: the warning report counts open risks by category and current score;
-- covering index so that the count reads the index only (50,000 risks).
CREATE INDEX risks_category_score ON risks(category_id, status, current_score);
