-- Tasks (任务): one task model for governance work assigned to an organization and a responsible person
-- (责任到人) — including the steps of an activated contingency plan — with deadlines, dependencies,
-- evidence and a history of every action.
CREATE TABLE task (
  id                  uuid        PRIMARY KEY,
  kind                text        NOT NULL DEFAULT 'governance' CHECK (kind IN ('governance', 'service')),
  title               text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description         text        NOT NULL DEFAULT '',
  -- the region the task serves (scope is decided by it)
  region_code         varchar(15) NOT NULL,
  organization_id     uuid        NOT NULL REFERENCES organization (id),
  responsible_user_id uuid        REFERENCES app_user (id),
  status              text        NOT NULL DEFAULT 'assigned'
                        CHECK (status IN ('assigned', 'accepted', 'in_progress', 'submitted', 'returned', 'done', 'cancelled')),
  priority            text        NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  deadline            timestamptz,
  -- what has to be shown before the task can be approved (empty: nothing)
  evidence_required   text        NOT NULL DEFAULT '',
  parent_id           uuid        REFERENCES task (id),
  -- tasks that must be done first (steps of a plan that depend on other steps)
  depends_on          uuid[]      NOT NULL DEFAULT '{}',
  -- where the task came from: by hand, a plan activation (source_ref = activation id, source_key = step key)
  source_kind         text        NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'activation')),
  source_ref          text,
  source_key          text,
  incident_id         uuid,
  -- drills: the task belongs to an exercise and stays out of real statistics
  exercise            boolean     NOT NULL DEFAULT false,
  lon                 double precision,
  lat                 double precision,
  created_by          uuid,
  created_by_name     text        NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  modified_at         timestamptz NOT NULL DEFAULT now(),
  accepted_at         timestamptz,
  started_at          timestamptz,
  submitted_at        timestamptz,
  done_at             timestamptz,
  overdue_flagged_at  timestamptz,
  CONSTRAINT task_location_chk CHECK ((lon IS NULL) = (lat IS NULL))
);
CREATE INDEX task_region_idx ON task (region_code varchar_pattern_ops);
CREATE INDEX task_organization_idx ON task (organization_id, status);
CREATE INDEX task_responsible_idx ON task (responsible_user_id) WHERE responsible_user_id IS NOT NULL;
CREATE INDEX task_source_idx ON task (source_kind, source_ref);
CREATE INDEX task_incident_idx ON task (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX task_deadline_idx ON task (deadline) WHERE status NOT IN ('done', 'cancelled');
CREATE INDEX task_parent_idx ON task (parent_id) WHERE parent_id IS NOT NULL;

-- Every action on a task, in order.
CREATE TABLE task_event (
  id          bigserial   PRIMARY KEY,
  task_id     uuid        NOT NULL REFERENCES task (id),
  at          timestamptz NOT NULL DEFAULT now(),
  action      text        NOT NULL,
  actor_id    uuid,
  actor_name  text        NOT NULL,
  from_status text,
  to_status   text,
  note        text,
  details     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX task_event_task_idx ON task_event (task_id, id);

-- Evidence submitted with a task: a text, or a link to a document kept elsewhere.
CREATE TABLE task_evidence (
  id          uuid        PRIMARY KEY,
  -- the order evidence was given in
  seq         bigserial   NOT NULL,
  task_id     uuid        NOT NULL REFERENCES task (id),
  kind        text        NOT NULL CHECK (kind IN ('text', 'link')),
  content     text        NOT NULL CHECK (length(content) BETWEEN 1 AND 4000),
  added_by    uuid,
  added_by_name text      NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_evidence_task_idx ON task_evidence (task_id, seq);
