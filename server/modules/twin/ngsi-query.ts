// SPDX-License-Identifier: Apache-2.0
// The NGSI-LD query language (ETSI GS CIM 009, clause 4.9: the `q` parameter of entity queries), parsed
// into a tree and compiled to a PostgreSQL condition over entity rows `e` whose `e.attrs` holds the
// attributes in normalized form. Every name and value from the query travels as a bound parameter: the
// only text spliced into the SQL comes from fixed tables in this file.

type ComparisonOp = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~=' | '!~=';

// Members of an attribute object that a dotted path may end with; they are not sub-attributes, so they
// are compared as they are (no `value` to look into).
type AttrMember = 'observedAt' | 'unitCode' | 'datasetId' | 'createdAt' | 'modifiedAt';

type AttrPath =
  | { kind: 'entity'; member: 'createdAt' | 'modifiedAt' }
  | { kind: 'attribute'; name: string; subAttributes: string[]; member: AttrMember | null; keys: string[] };

type QueryValue =
  | { type: 'number'; value: number; literal: string }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'dateTime'; value: string }
  | { type: 'uri'; value: string };

type Operand =
  | { kind: 'value'; value: QueryValue }
  | { kind: 'list'; values: QueryValue[] }
  | { kind: 'range'; from: QueryValue; to: QueryValue }
  | { kind: 'pattern'; pattern: string };

/** A parsed NGSI-LD query: `;` (and) and `|` (or) over comparisons and (non-)existence tests. */
export type QueryAst =
  | { kind: 'and'; terms: QueryAst[] }
  | { kind: 'or'; terms: QueryAst[] }
  | { kind: 'comparison'; path: AttrPath; op: ComparisonOp; operand: Operand }
  | { kind: 'existence'; path: AttrPath }
  | { kind: 'not-existence'; path: AttrPath };

/** A malformed query; `position` is the 0-based index in the query text where the problem is. */
export class QueryParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QueryParseError';
  }
}

// Bounds keep one request from producing an unreasonably large statement or a deep recursion.
const MAX_QUERY_LENGTH = 8192;
const MAX_DEPTH = 32;

const OPERATORS: readonly ComparisonOp[] = ['!~=', '==', '!=', '>=', '<=', '~=', '>', '<'];
const ATTR_MEMBERS: ReadonlySet<string> = new Set<AttrMember>(['observedAt', 'unitCode', 'datasetId', 'createdAt', 'modifiedAt']);
const TIME_MEMBERS: ReadonlySet<string> = new Set<AttrMember>(['observedAt', 'createdAt', 'modifiedAt']);

// Letters (any script: names may be Chinese), digits, and the punctuation of compacted terms and full IRIs.
// Nothing here can end a bound parameter, and the query's own syntax characters are all excluded.
const NAME_CHAR = /^[\p{L}\p{N}\p{M}_:@#/.-]$/u;
const KEY_CHAR = /^[\p{L}\p{N}\p{M}_:@#/-]$/u;
const NAME_START = /^[\p{L}_@]/u;
const IRI_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"'<>\\^`{}]+$/;
const LOOKS_LIKE_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;
// ISO 8601 date or date-time as PostgreSQL's timestamptz input accepts it. Written without backslashes
// because the same text is also placed in the SQL as a constant.
const DATE_TIME_RE =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$';
const DATE_TIME = new RegExp(DATE_TIME_RE);
// Embedded options PostgreSQL accepts at the start of a regular expression, e.g. (?i); JavaScript does not.
const PG_REGEX_OPTIONS = /^\(\?[bceimnpqstwx]+\)/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// The regular expression alone lets 2024-02-30 through, which PostgreSQL would refuse with an error.
function isDateTime(s: string): boolean {
  if (!DATE_TIME.test(s)) return false;
  const year = Number(s.slice(0, 4));
  return year > 0 && Number(s.slice(8, 10)) <= daysInMonth(year, Number(s.slice(5, 7)));
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly src: string) {}

  parse(): QueryAst {
    if (this.src.length > MAX_QUERY_LENGTH) throw this.error(`the query is longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
    this.skipWs();
    if (this.atEnd()) throw this.error('the query is empty', 0);
    const ast = this.parseOr();
    this.skipWs();
    if (!this.atEnd()) {
      if (this.peek() === ')') throw this.error("unexpected ')' without a matching '('");
      throw this.error(`unexpected ${this.found()}; expected ';' (and), '|' (or) or the end of the query`);
    }
    return ast;
  }

  private parseOr(): QueryAst {
    const terms = [this.parseAnd()];
    for (;;) {
      this.skipWs();
      if (this.peek() !== '|') return combine('or', terms);
      this.pos++;
      terms.push(this.parseAnd());
    }
  }

  private parseAnd(): QueryAst {
    const terms = [this.parsePrimary()];
    for (;;) {
      this.skipWs();
      if (this.peek() !== ';') return combine('and', terms);
      this.pos++;
      terms.push(this.parsePrimary());
    }
  }

  private parsePrimary(): QueryAst {
    this.skipWs();
    if (this.atEnd()) throw this.error("expected an attribute name or '(' but the query ends");
    if (this.peek() !== '(') return this.parseTerm();
    const open = this.pos;
    this.pos++;
    if (++this.depth > MAX_DEPTH) throw this.error(`parentheses are nested deeper than ${MAX_DEPTH} levels`, open);
    const inner = this.parseOr();
    this.skipWs();
    if (this.peek() !== ')') throw this.error(`expected ')' to close the '(' at position ${open}, found ${this.found()}`);
    this.pos++;
    this.depth--;
    return inner;
  }

  private parseTerm(): QueryAst {
    if (this.peek() === '!') {
      this.pos++;
      this.skipWs();
      const path = this.parsePath();
      this.skipWs();
      if (OPERATORS.some((op) => this.src.startsWith(op, this.pos))) {
        throw this.error("'!' tests that an attribute is absent and cannot be followed by a comparison");
      }
      this.expectTermEnd();
      return { kind: 'not-existence', path };
    }
    const path = this.parsePath();
    this.skipWs();
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
    if (op === undefined) {
      this.expectTermEnd();
      return { kind: 'existence', path };
    }
    this.pos += op.length;
    this.skipWs();
    if (op === '~=' || op === '!~=') return { kind: 'comparison', path, op, operand: { kind: 'pattern', pattern: this.parsePattern(op) } };
    if (op === '==' || op === '!=') return { kind: 'comparison', path, op, operand: this.parseEqualityOperand(op) };
    const at = this.pos;
    const value = this.parseValue(op);
    if (value.type === 'boolean' || value.type === 'uri') {
      throw this.error(`${op} needs a number, a string or a date-time; ${value.type === 'boolean' ? 'true and false' : 'URIs'} can only be compared with == or !=`, at);
    }
    this.skipWs();
    if (this.src.startsWith('..', this.pos) || this.peek() === ',') {
      throw this.error(`a ${this.peek() === ',' ? 'list of values' : 'range'} can only follow == or !=, not ${op}`);
    }
    return { kind: 'comparison', path, op, operand: { kind: 'value', value } };
  }

  // A bare attribute (existence test) must be followed by a connective, a closing parenthesis or the end.
  private expectTermEnd(): void {
    if (this.atEnd() || ';|)'.includes(this.peek())) return;
    if (this.peek() === '=') throw this.error("'=' is not an operator; use '==' to test equality");
    throw this.error(`unexpected ${this.found()} after the attribute name; expected an operator (==, !=, >, >=, <, <=, ~=, !~=), ';', '|', ')' or the end of the query`);
  }

  private parsePath(): AttrPath {
    const start = this.pos;
    if (this.atEnd()) throw this.error('expected an attribute name but the query ends');
    while (!this.atEnd() && NAME_CHAR.test(this.peekCodePoint())) this.pos += this.peekCodePoint().length;
    if (this.pos === start) throw this.error(`expected an attribute name, found ${this.found()}`);
    const segments = splitDotted(this.src.slice(start, this.pos), start);
    const keys: string[] = [];
    const bracketAt = this.pos;
    while (this.peek() === '[') {
      const open = this.pos;
      this.pos++;
      for (;;) {
        const keyStart = this.pos;
        while (!this.atEnd() && KEY_CHAR.test(this.peekCodePoint())) this.pos += this.peekCodePoint().length;
        if (this.pos === keyStart) throw this.error(`expected a key name inside '[…]', found ${this.found()}`);
        keys.push(this.src.slice(keyStart, this.pos));
        if (this.peek() === '.') {
          this.pos++;
          continue;
        }
        if (this.peek() === ']') {
          this.pos++;
          break;
        }
        throw this.error(`expected '.' or ']' to close the '[' at position ${open}, found ${this.found()}`);
      }
    }
    const [first, ...rest] = segments;
    if (first === undefined) throw this.error('expected an attribute name', start);
    if (rest.length === 0 && keys.length === 0 && (first.text === 'createdAt' || first.text === 'modifiedAt')) {
      return { kind: 'entity', member: first.text };
    }
    let member: AttrMember | null = null;
    const last = rest[rest.length - 1];
    if (last !== undefined && ATTR_MEMBERS.has(last.text)) {
      member = last.text as AttrMember;
      rest.pop();
      if (keys.length > 0) throw this.error(`${member} has no structured value to address with '[…]'`, bracketAt);
    }
    for (const s of rest) {
      if (ATTR_MEMBERS.has(s.text)) throw this.error(`${s.text} is a member of an attribute and has no sub-attributes`, s.at);
    }
    return { kind: 'attribute', name: first.text, subAttributes: rest.map((s) => s.text), member, keys };
  }

  private parseEqualityOperand(op: ComparisonOp): Operand {
    const firstAt = this.pos;
    const first = this.parseValue(op);
    this.skipWs();
    if (this.src.startsWith('..', this.pos)) {
      const dots = this.pos;
      this.pos += 2;
      this.skipWs();
      if (this.atEnd() || ';|),'.includes(this.peek())) throw this.error(`the range opened by the '..' at position ${dots} has no upper bound`);
      const toAt = this.pos;
      const to = this.parseValue('..');
      for (const [v, at] of [
        [first, firstAt],
        [to, toAt],
      ] as const) {
        if (v.type === 'boolean' || v.type === 'uri') throw this.error('a range needs numbers, strings or date-times as bounds', at);
      }
      if (first.type !== to.type) throw this.error(`the bounds of a range must be of one type, not ${first.type} and ${to.type}`, toAt);
      return { kind: 'range', from: first, to };
    }
    if (this.peek() !== ',') return { kind: 'value', value: first };
    const values = [first];
    while (this.peek() === ',') {
      this.pos++;
      this.skipWs();
      values.push(this.parseValue(','));
      this.skipWs();
    }
    if (this.src.startsWith('..', this.pos)) throw this.error('a list of values cannot contain a range');
    return { kind: 'list', values };
  }

  private parseValue(after: string): QueryValue {
    const start = this.pos;
    if (this.atEnd()) throw this.error(`expected a value after '${after}' but the query ends`);
    const c = this.peek();
    if (c === '"') return { type: 'string', value: this.parseQuoted(false) };
    if ('=<>!~;|),'.includes(c)) throw this.error(`expected a value after '${after}', found ${this.found()}`);
    while (!this.atEnd()) {
      const ch = this.peek();
      if (/\s/.test(ch) || ';|),"'.includes(ch) || this.src.startsWith('..', this.pos)) break;
      this.pos++;
    }
    const raw = this.src.slice(start, this.pos);
    if (raw === 'true' || raw === 'false') return { type: 'boolean', value: raw === 'true' };
    if (NUMBER.test(raw)) return { type: 'number', value: Number(raw), literal: raw };
    if (LOOKS_LIKE_DATE.test(raw)) {
      if (!isDateTime(raw)) throw this.error(`${JSON.stringify(raw)} is not a valid ISO 8601 date or date-time`, start);
      return { type: 'dateTime', value: raw };
    }
    if (URI.test(raw)) return { type: 'uri', value: raw };
    throw this.error(
      `${JSON.stringify(raw)} is not a value: put strings in double quotes ("…"); numbers, true, false, date-times and URIs go unquoted`,
      start,
    );
  }

  // Strings take \" and \\ as escapes; in a regular expression only \" is one, so that \\ and \d reach
  // the regular expression engine unchanged.
  private parseQuoted(pattern: boolean): string {
    const open = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw this.error(`unterminated string: this '"' has no closing '"'`, open);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === undefined) throw this.error(`unterminated string: this '"' has no closing '"'`, open);
        out += next === '"' || (next === '\\' && !pattern) ? next : c + next;
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  // An unquoted regular expression runs to ';' or '|' outside its own parentheses, or to a ')' that
  // closes a group of the query; quote it to use those characters freely.
  private parsePattern(op: ComparisonOp): string {
    const start = this.pos;
    if (this.atEnd()) throw this.error(`expected a regular expression after '${op}' but the query ends`);
    let pattern: string;
    if (this.peek() === '"') {
      pattern = this.parseQuoted(true);
    } else {
      let depth = 0;
      while (!this.atEnd()) {
        const c = this.peek();
        if (c === '\\') {
          this.pos = Math.min(this.pos + 2, this.src.length);
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (c === ';' || c === '|')) break;
        this.pos++;
      }
      pattern = this.src.slice(start, this.pos).trimEnd();
    }
    if (pattern === '') throw this.error(`the regular expression after '${op}' is empty`, start);
    try {
      new RegExp(pattern.replace(PG_REGEX_OPTIONS, ''));
    } catch (err) {
      throw this.error(`invalid regular expression: ${(err as Error).message}`, start);
    }
    return pattern;
  }

  private skipWs(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.pos++;
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  private peek(): string {
    return this.src[this.pos] ?? '';
  }

  // Whole code point, so that a name test sees a character outside the BMP as one character.
  private peekCodePoint(): string {
    const cp = this.src.codePointAt(this.pos);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private found(): string {
    return this.atEnd() ? 'the end of the query' : JSON.stringify(this.peekCodePoint());
  }

  private error(message: string, position = this.pos): QueryParseError {
    return new QueryParseError(`${message} (position ${position})`, position);
  }
}

function combine(kind: 'and' | 'or', terms: QueryAst[]): QueryAst {
  const [only] = terms;
  if (terms.length === 1 && only !== undefined) return only;
  return { kind, terms: terms.flatMap((t) => (t.kind === kind ? t.terms : [t])) };
}

// Dots separate sub-attributes, but a full IRI has dots of its own (uri.etsi.org): in a name that starts
// with scheme://, only dots after its last '/' or '#' separate.
function splitDotted(text: string, offset: number): { text: string; at: number }[] {
  let head = '';
  let rest = text;
  if (IRI_PREFIX.test(text)) {
    const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('#')) + 1;
    head = text.slice(0, cut);
    rest = text.slice(cut);
  }
  const segments: { text: string; at: number }[] = [];
  let at = offset + head.length;
  rest.split('.').forEach((part, i) => {
    const segment = i === 0 ? head + part : part;
    const segmentAt = i === 0 ? offset : at;
    if (segment === '') throw new QueryParseError(`empty name in the attribute path: a stray '.' (position ${segmentAt})`, segmentAt);
    if (!NAME_START.test(segment)) {
      throw new QueryParseError(`an attribute name must start with a letter, '_' or '@' (position ${segmentAt})`, segmentAt);
    }
    segments.push({ text: segment, at: segmentAt });
    at += part.length + 1;
  });
  return segments;
}

/** Parses the text of an NGSI-LD `q` parameter; throws QueryParseError naming the position of a mistake. */
export function parseQuery(q: string): QueryAst {
  return new Parser(q).parse();
}

const ORDER_SQL: Readonly<Record<string, string>> = { '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

// Text of a date-time held as a JSON string or as a typed JSON-LD value {"@type": "DateTime", "@value": …}.
const dateText = (x: string) => `CASE jsonb_typeof(${x}) WHEN 'string' THEN ${x} #>> '{}' WHEN 'object' THEN ${x} ->> '@value' END`;

// A stored string becomes a timestamptz only when it is a real date-time: a bad value in one entity must
// not make the whole query fail. CASE is evaluated in order, so the casts only see checked text.
function timestampOf(s: string): string {
  const year = `substr(${s}, 1, 4)::int`;
  const days =
    `CASE substr(${s}, 6, 2)::int WHEN 2 THEN CASE WHEN ${year} % 4 = 0 AND (${year} % 100 <> 0 OR ${year} % 400 = 0) THEN 29 ELSE 28 END ` +
    `WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END`;
  return (
    `(CASE WHEN ${s} ~ '${DATE_TIME_RE}' THEN ` +
    `CASE WHEN substr(${s}, 1, 4) <> '0000' AND substr(${s}, 9, 2)::int <= ${days} THEN ${s}::timestamptz END END)`
  );
}

// The target as a value of the literal's type, or null when that type can never compare (then FALSE).
type Scalar = (type: QueryValue['type']) => string | null;

class Compiler {
  readonly values: unknown[] = [];
  private aliases = 0;

  constructor(private readonly first: number) {}

  node(ast: QueryAst): string {
    switch (ast.kind) {
      case 'and':
        return ast.terms.length === 0 ? 'TRUE' : `(${ast.terms.map((t) => this.node(t)).join(' AND ')})`;
      case 'or':
        return ast.terms.length === 0 ? 'FALSE' : `(${ast.terms.map((t) => this.node(t)).join(' OR ')})`;
      case 'existence':
        return this.existence(ast.path);
      case 'not-existence':
        return `(NOT ${this.existence(ast.path)})`;
      case 'comparison':
        return this.comparison(ast.path, ast.op, ast.operand);
      default:
        throw new Error(`unknown query node ${JSON.stringify((ast as { kind: unknown }).kind)}`);
    }
  }

  private param(value: unknown, cast: 'text' | 'numeric' | 'boolean' | 'timestamptz'): string {
    this.values.push(value);
    return `$${this.first + this.values.length - 1}::${cast}`;
  }

  private alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }

  private entityColumn(member: string): string {
    if (member === 'createdAt') return 'e.created_at';
    if (member === 'modifiedAt') return 'e.modified_at';
    throw new Error(`unknown entity member ${JSON.stringify(member)}`);
  }

  // Every instance of the attribute: one object, or each element when several datasetIds make it an array.
  private instances(name: string): { from: string; v: string } {
    if (typeof name !== 'string') throw new Error('attribute name must be a string');
    const attr = `(e.attrs -> ${this.param(name, 'text')})`;
    const a = this.alias('i');
    return {
      from: `jsonb_array_elements(CASE jsonb_typeof(${attr}) WHEN 'array' THEN ${attr} WHEN 'object' THEN jsonb_build_array(${attr}) ELSE '[]'::jsonb END) AS ${a}(v)`,
      v: `${a}.v`,
    };
  }

  // Walks from an attribute instance down to the addressed element. For equality a Relationship's object
  // counts as its value; for orderings and patterns it does not, as the spec lets only == and != match one.
  private target(v: string, path: Extract<AttrPath, { kind: 'attribute' }>, mode: 'presence' | 'equality' | 'order'): string {
    let node = v;
    for (const s of path.subAttributes) node = `(${node} -> ${this.param(s, 'text')})`;
    if (path.member !== null) {
      if (!ATTR_MEMBERS.has(path.member)) throw new Error(`unknown attribute member ${JSON.stringify(path.member)}`);
      return `(${node} -> '${path.member}')`;
    }
    if (path.keys.length > 0) {
      let value = `(${node} -> 'value')`;
      for (const k of path.keys) value = `(${value} -> ${this.param(k, 'text')})`;
      return value;
    }
    if (mode === 'presence') return node;
    const object = mode === 'equality' ? `, ${node} -> 'object'` : '';
    return `COALESCE(${node} -> 'value'${object}, ${node} -> 'vocab', ${node} -> 'valueList')`;
  }

  private existence(path: AttrPath): string {
    if (path.kind === 'entity') return `(${this.entityColumn(path.member)} IS NOT NULL)`;
    if (path.subAttributes.length === 0 && path.member === null && path.keys.length === 0) {
      return `((e.attrs -> ${this.param(path.name, 'text')}) IS NOT NULL)`;
    }
    const inst = this.instances(path.name);
    return `EXISTS (SELECT 1 FROM ${inst.from} WHERE ${this.target(inst.v, path, 'presence')} IS NOT NULL)`;
  }

  private comparison(path: AttrPath, op: ComparisonOp, operand: Operand): string {
    const negated = op === '!=' || op === '!~=';
    const positiveOp = op === '!=' ? '==' : op === '!~=' ? '~=' : op;
    const timeTarget = path.kind === 'entity' || (path.member !== null && TIME_MEMBERS.has(path.member));
    const coerced = coerce(operand, timeTarget);

    if (path.kind === 'entity') {
      const column = this.entityColumn(path.member);
      const matches = this.positive(positiveOp, coerced, (type) => (type === 'dateTime' ? column : null));
      return negated ? `(${column} IS NOT NULL AND NOT COALESCE(${matches}, FALSE))` : `COALESCE(${matches}, FALSE)`;
    }

    const inst = this.instances(path.name);
    const t = this.alias('t');
    const targetSql = this.target(inst.v, path, positiveOp === '==' ? 'equality' : 'order');
    // A JSON array value matches when one of its elements does (and != when none does).
    const x = this.alias('x');
    const needsDate = operandValues(coerced).some((v) => v.type === 'dateTime');
    const d = needsDate ? this.alias('d') : '';
    const scalar: Scalar = (type) => {
      switch (type) {
        case 'number':
          return `(CASE WHEN jsonb_typeof(${x}.v) = 'number' THEN (${x}.v #>> '{}')::numeric END)`;
        case 'string':
        case 'uri':
          return `(CASE WHEN jsonb_typeof(${x}.v) = 'string' THEN ${x}.v #>> '{}' END)`;
        case 'boolean':
          return `(CASE WHEN jsonb_typeof(${x}.v) = 'boolean' THEN (${x}.v #>> '{}')::boolean END)`;
        case 'dateTime':
          return timestampOf(`${d}.s`);
        default:
          return null;
      }
    };
    const matches = this.positive(positiveOp, coerced, scalar);
    const dateJoin = needsDate ? ` CROSS JOIN LATERAL (SELECT ${dateText(`${x}.v`)} AS s) AS ${d}` : '';
    const anyElement =
      `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(${t}.t) WHEN 'array' THEN ${t}.t ELSE jsonb_build_array(${t}.t) END) AS ${x}(v)` +
      `${dateJoin} WHERE ${matches})`;
    const condition = negated ? `(${t}.t IS NOT NULL AND NOT ${anyElement})` : anyElement;
    return `EXISTS (SELECT 1 FROM ${inst.from} CROSS JOIN LATERAL (SELECT ${targetSql} AS t) AS ${t} WHERE ${condition})`;
  }

  // The condition for one element to satisfy ==, an ordering or ~= (the negated operators negate it).
  private positive(op: ComparisonOp, operand: Operand, scalar: Scalar): string {
    switch (operand.kind) {
      case 'pattern': {
        if (op !== '~=') throw new Error(`a regular expression needs ~= or !~=, not ${op}`);
        const s = scalar('string');
        return s === null ? 'FALSE' : `(${s} ~ ${this.param(String(operand.pattern), 'text')})`;
      }
      case 'value': {
        if (op === '==') return this.equals(operand.value, scalar);
        const sqlOp = ORDER_SQL[op];
        if (sqlOp === undefined) throw new Error(`unknown comparison operator ${JSON.stringify(op)}`);
        const s = scalar(operand.value.type);
        return s === null ? 'FALSE' : `(${s}${collation(operand.value)} ${sqlOp} ${this.literal(operand.value)})`;
      }
      case 'list':
        if (op !== '==') throw new Error(`a list of values needs == or !=, not ${op}`);
        return operand.values.length === 0 ? 'FALSE' : `(${operand.values.map((v) => this.equals(v, scalar)).join(' OR ')})`;
      case 'range': {
        if (op !== '==') throw new Error(`a range needs == or !=, not ${op}`);
        const from = scalar(operand.from.type);
        const to = scalar(operand.to.type);
        if (from === null || to === null) return 'FALSE';
        return `(${from}${collation(operand.from)} >= ${this.literal(operand.from)} AND ${to}${collation(operand.to)} <= ${this.literal(operand.to)})`;
      }
      default:
        throw new Error(`unknown operand ${JSON.stringify((operand as { kind: unknown }).kind)}`);
    }
  }

  private equals(value: QueryValue, scalar: Scalar): string {
    const s = scalar(value.type);
    return s === null ? 'FALSE' : `(${s} = ${this.literal(value)})`;
  }

  private literal(v: QueryValue): string {
    switch (v.type) {
      case 'number':
        if (!NUMBER.test(String(v.literal))) throw new Error(`not a number literal: ${JSON.stringify(v.literal)}`);
        return this.param(v.literal, 'numeric');
      case 'string':
      case 'uri':
        return this.param(String(v.value), 'text');
      case 'boolean':
        return this.param(v.value === true, 'boolean');
      case 'dateTime':
        // Checked here too, so that a hand-built tree cannot make PostgreSQL fail on the cast.
        if (!isDateTime(String(v.value))) throw new Error(`not a date-time: ${JSON.stringify(v.value)}`);
        return this.param(v.value, 'timestamptz');
      default:
        throw new Error(`unknown value type ${JSON.stringify((v as { type: unknown }).type)}`);
    }
  }
}

// Byte order for strings, so that < and > give the same answer on every engine whatever its locale.
function collation(v: QueryValue): string {
  return v.type === 'string' || v.type === 'uri' ? ' COLLATE "C"' : '';
}

function operandValues(operand: Operand): QueryValue[] {
  switch (operand.kind) {
    case 'value':
      return [operand.value];
    case 'list':
      return operand.values;
    case 'range':
      return [operand.from, operand.to];
    default:
      return [];
  }
}

// Timestamps (createdAt, observedAt, …) compare chronologically even when the date-time was quoted.
function coerce(operand: Operand, timeTarget: boolean): Operand {
  if (!timeTarget) return operand;
  const c = (v: QueryValue): QueryValue => (v.type === 'string' && isDateTime(v.value) ? { type: 'dateTime', value: v.value } : v);
  switch (operand.kind) {
    case 'value':
      return { kind: 'value', value: c(operand.value) };
    case 'list':
      return { kind: 'list', values: operand.values.map(c) };
    case 'range':
      return { kind: 'range', from: c(operand.from), to: c(operand.to) };
    default:
      return operand;
  }
}

/** Compiles a parsed query to a condition on entity rows aliased `e`, with placeholders from $firstParam on. */
export function compileQuery(ast: QueryAst, firstParam: number): { sql: string; values: unknown[] } {
  if (!Number.isInteger(firstParam) || firstParam < 1) throw new RangeError(`firstParam must be a positive integer, not ${firstParam}`);
  const compiler = new Compiler(firstParam);
  const sql = compiler.node(ast);
  return { sql, values: compiler.values };
}

/** The same query with every attribute name passed through `fn` (e.g. expanded against a JSON-LD context). */
export function mapAttributeNames(ast: QueryAst, fn: (name: string) => string): QueryAst {
  const path = (p: AttrPath): AttrPath => (p.kind === 'attribute' ? { ...p, name: fn(p.name) } : p);
  switch (ast.kind) {
    case 'and':
    case 'or':
      return { kind: ast.kind, terms: ast.terms.map((t) => mapAttributeNames(t, fn)) };
    case 'comparison':
      return { ...ast, path: path(ast.path) };
    case 'existence':
    case 'not-existence':
      return { ...ast, path: path(ast.path) };
  }
}
