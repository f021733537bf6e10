-- The company risk warning report (5.3-c) and the department reports (5.3-b).
-- New and closed risks since the last report: a range on these, not a scan of
-- every risk.
CREATE INDEX risks_created ON risks(created_at);
CREATE INDEX risks_closed ON risks(closed_at);
-- A risk's score at a past moment (its latest residual assessment by then, else
-- its latest inherent one), read from this index alone.
CREATE INDEX risk_assessments_kind ON risk_assessments(risk_id, kind, assessed_at, id) INCLUDE (score);
-- Open measures in due order: the overdue list stops after its first rows
-- instead of sorting every overdue measure.
CREATE INDEX risk_measures_open_due ON risk_measures(due_on, id) WHERE status IN ('planned', 'in_progress');
