-- Risk dashboard (part E): the dashboard's figures are one GROUP BY over the
-- open risks by department, category and current score; this index holds
-- every column it reads (and the owner, for managers' reach), so the count
-- never touches the wide risk rows.
CREATE INDEX risks_dashboard ON risks(status, department_id, category_id, current_score, owner_id);
-- Managers' reach includes risks they hold a measure of: an index probe per risk.
CREATE INDEX risk_measures_risk_owner ON risk_measures(risk_id, owner_id);
