-- Policies (政策) with their clauses (条款); goals (目标) — an indicator's target for a region and period,
-- set by a clause — and the tasks decomposed from a goal as a tree, each traceable to its clause.
CREATE TABLE policy (
  id                     uuid        PRIMARY KEY,
  code                   text        NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.〔〕()-]{1,63}$'),
  title                  text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary                text        NOT NULL DEFAULT '',
  issuer_organization_id uuid        NOT NULL REFERENCES organization (id),
  -- where the policy applies (its issuer's region or below)
  region_code            varchar(15) NOT NULL,
  issued_on              date        NOT NULL,
  status                 text        NOT NULL DEFAULT 'in_force' CHECK (status IN ('draft', 'in_force', 'expired')),
  created_by_name        text        NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  modified_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT policy_code_key UNIQUE (code)
);
CREATE INDEX policy_region_idx ON policy (region_code varchar_pattern_ops);

CREATE TABLE policy_clause (
  id        uuid    PRIMARY KEY,
  policy_id uuid    NOT NULL REFERENCES policy (id) ON DELETE CASCADE,
  ordinal   integer NOT NULL,
  number    text    NOT NULL CHECK (length(number) BETWEEN 1 AND 30),
  text      text    NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  CONSTRAINT policy_clause_number_key UNIQUE (policy_id, number)
);

CREATE TABLE goal (
  id              uuid             PRIMARY KEY,
  policy_id       uuid             NOT NULL REFERENCES policy (id) ON DELETE CASCADE,
  clause_id       uuid             NOT NULL REFERENCES policy_clause (id),
  indicator_id    uuid             NOT NULL REFERENCES indicator (id),
  region_code     varchar(15)      NOT NULL,
  period          varchar(10)      NOT NULL,
  target          double precision NOT NULL,
  title           text             NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  created_by_name text             NOT NULL,
  created_at      timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT goal_target_key UNIQUE (indicator_id, region_code, period)
);
CREATE INDEX goal_policy_idx ON goal (policy_id);

-- A task decomposed from a goal names its goal, clause and policy.
ALTER TABLE task ADD COLUMN policy_id uuid REFERENCES policy (id);
ALTER TABLE task ADD COLUMN clause_id uuid REFERENCES policy_clause (id);
ALTER TABLE task ADD COLUMN goal_id uuid REFERENCES goal (id);
CREATE INDEX task_goal_idx ON task (goal_id) WHERE goal_id IS NOT NULL;
CREATE INDEX task_policy_idx ON task (policy_id) WHERE policy_id IS NOT NULL;
ALTER TABLE task DROP CONSTRAINT task_source_kind_check;
ALTER TABLE task ADD CONSTRAINT task_source_kind_check CHECK (source_kind IN ('manual', 'activation', 'indicator_alert', 'goal'));
