-- Monitoring (2.4.3) and the project status dashboard: indexes for what the
-- dashboard filters and sorts on across the portfolio.

-- Open milestones by date (the 90-day timeline and the overdue list): a range
-- over (kind = 'milestone', actual_end IS NULL, planned_end).
CREATE INDEX project_tasks_open_milestones ON project_tasks(kind, actual_end, planned_end, project_id);
-- Open delays across the portfolio (top delayed projects).
CREATE INDEX project_delays_open ON project_delays(status, project_id);
-- Resource load: the allocations on the open projects without reading the member rows.
CREATE INDEX project_members_load ON project_members(project_id, user_id, allocation_pct);
-- Headcount per department (active people) from the index alone.
CREATE INDEX users_department_active ON users(department_id, active);
