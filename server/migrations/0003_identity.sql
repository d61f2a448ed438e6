-- Organizations, users, sessions, API tokens and field classification.
CREATE TABLE organization (
  id              uuid        PRIMARY KEY,
  kind            text        NOT NULL CHECK (kind IN ('government', 'social')),
  name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  region_code     varchar(15) NOT NULL,
  department_type text,
  social_type     text,
  credit_code     text,
  qualifications  text[]      NOT NULL DEFAULT '{}',
  contact_name    text,
  contact_phone   text,
  active          boolean     NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organization_kind_type_chk CHECK (
    (kind = 'government' AND department_type IS NOT NULL AND social_type IS NULL) OR
    (kind = 'social' AND social_type IS NOT NULL AND department_type IS NULL))
);
CREATE INDEX organization_region_idx ON organization (region_code varchar_pattern_ops);
CREATE UNIQUE INDEX organization_name_region_uq ON organization (region_code, name);

CREATE TABLE app_user (
  id                  uuid        PRIMARY KEY,
  username            text        NOT NULL,
  display_name        text        NOT NULL,
  organization_id     uuid        NOT NULL REFERENCES organization (id),
  roles               text[]      NOT NULL,
  scope_code          varchar(15),
  clearance           text        NOT NULL DEFAULT 'internal' CHECK (clearance IN ('public', 'internal', 'sensitive', 'core')),
  phone               text,
  id_card             text,
  email               text,
  password_hash       text        NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  failed_logins       integer     NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  disabled            boolean     NOT NULL DEFAULT false,
  last_login_at       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT app_user_roles_nonempty_chk CHECK (cardinality(roles) > 0),
  -- three-role separation (三员分立), enforced by the database as the backstop of the service check
  CONSTRAINT app_user_three_roles_chk CHECK (
    (CASE WHEN 'system-admin' = ANY (roles) THEN 1 ELSE 0 END) +
    (CASE WHEN 'security-admin' = ANY (roles) THEN 1 ELSE 0 END) +
    (CASE WHEN 'audit-admin' = ANY (roles) THEN 1 ELSE 0 END) <= 1)
);
CREATE UNIQUE INDEX app_user_username_uq ON app_user (lower(username));
CREATE INDEX app_user_org_idx ON app_user (organization_id);
CREATE INDEX app_user_scope_idx ON app_user (scope_code varchar_pattern_ops);

CREATE TABLE user_session (
  token_hash   text        PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES app_user (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  ip           text,
  user_agent   text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

CREATE TABLE api_token (
  id           uuid        PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES app_user (id),
  name         text        NOT NULL,
  token_hash   text        NOT NULL UNIQUE,
  token_prefix text        NOT NULL,
  roles        text[]      NOT NULL,
  scope_code   varchar(15),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_token_user_idx ON api_token (user_id);

-- Classification of fields (数据分级): decides masking for actors without clearance.
CREATE TABLE field_classification (
  entity         text NOT NULL,
  field          text NOT NULL,
  classification text NOT NULL CHECK (classification IN ('public', 'internal', 'sensitive', 'core')),
  masking        text NOT NULL CHECK (masking IN ('phone', 'id-card', 'name', 'email', 'full')),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity, field)
);
INSERT INTO field_classification (entity, field, classification, masking) VALUES
  ('user', 'phone', 'sensitive', 'phone'),
  ('user', 'idCard', 'core', 'id-card'),
  ('user', 'email', 'internal', 'email'),
  ('organization', 'contactPhone', 'sensitive', 'phone'),
  ('organization', 'contactName', 'internal', 'name');
