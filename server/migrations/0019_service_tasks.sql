-- Service tasks (服务型任务) outsourced to social organizations: published with a service standard, budget
-- and required qualifications; qualified organizations bid; the publisher awards one bid (the task passes
-- to that organization); delivery is accepted against the standard and paid. Also: reminders before a
-- task's deadline, and files kept as evidence.
ALTER TABLE task ADD COLUMN service jsonb;
ALTER TABLE task ADD COLUMN publisher_organization_id uuid REFERENCES organization (id);
ALTER TABLE task ADD COLUMN offer_status text CHECK (offer_status IN ('open', 'awarded', 'withdrawn'));
ALTER TABLE task ADD COLUMN awarded_amount numeric(14, 2);
ALTER TABLE task ADD COLUMN payment_status text CHECK (payment_status IN ('unpaid', 'paid'));
ALTER TABLE task ADD COLUMN paid_amount numeric(14, 2);
ALTER TABLE task ADD COLUMN paid_at timestamptz;
ALTER TABLE task ADD COLUMN reminded_at timestamptz;
ALTER TABLE task ADD CONSTRAINT task_service_chk CHECK (service IS NULL OR kind = 'service');
CREATE INDEX task_offer_idx ON task (offer_status) WHERE offer_status = 'open';

CREATE TABLE service_bid (
  id              uuid          PRIMARY KEY,
  task_id         uuid          NOT NULL REFERENCES task (id),
  organization_id uuid          NOT NULL REFERENCES organization (id),
  amount          numeric(14, 2) NOT NULL CHECK (amount > 0),
  proposal        text          NOT NULL CHECK (length(proposal) BETWEEN 1 AND 4000),
  status          text          NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'awarded', 'rejected', 'withdrawn')),
  submitted_by    uuid,
  submitted_by_name text        NOT NULL,
  submitted_at    timestamptz   NOT NULL DEFAULT now(),
  CONSTRAINT service_bid_one_per_org UNIQUE (task_id, organization_id)
);

-- Files given as evidence (the evidence row names the file; the bytes are kept here).
ALTER TABLE task_evidence DROP CONSTRAINT task_evidence_kind_check;
ALTER TABLE task_evidence ADD CONSTRAINT task_evidence_kind_check CHECK (kind IN ('text', 'link', 'file'));
CREATE TABLE task_file (
  evidence_id uuid    PRIMARY KEY REFERENCES task_evidence (id),
  task_id     uuid    NOT NULL REFERENCES task (id),
  name        text    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  media_type  text    NOT NULL,
  size        integer NOT NULL CHECK (size > 0),
  sha256      text    NOT NULL,
  content     bytea   NOT NULL
);
