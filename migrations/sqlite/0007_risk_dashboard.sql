-- Risk dashboard (part E): the dashboard's figures are one GROUP BY over the
-- open risks by department, category and current score; this index holds
-- every column it reads (and the owner, for managers' reach), so the count
-- never touches the wide risk rows.
CREATE INDEX risks_dashboard ON risks(status, department_id, category_id, current_score, owner_id);
-- Managers' reach includes risks they hold a measure of: an index probe per risk.
CREATE INDEX risk_measures_risk_owner ON risk_measures(risk_id, owner_id);
-- The heat maps for people who see part of the risks: department and owner in
-- the index too, so their reach is decided without reading the risk rows.
CREATE INDEX risks_inherent_reach ON risks(status, inherent_likelihood, inherent_impact, department_id, owner_id);
CREATE INDEX risks_residual_reach ON risks(status, residual_likelihood, residual_impact, department_id, owner_id);
