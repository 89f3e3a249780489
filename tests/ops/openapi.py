#!/usr/bin/env python3
"""Checks of the OpenAPI 3.1 documents in man/openapi/.

  openapi.py lint DOC...          structure: version, every $ref resolves,
                                  every operation answers, every schema is
                                  valid JSON Schema 2020-12
  openapi.py routes DOC ROUTES    the routes an executable prints with
                                  --routes ("pattern<TAB>methods") and the
                                  document's operations are the same set
  openapi.py mimroutes SOURCE PREFIX
                                  the routes of MongooseIM's backend API
                                  that SOURCE's mim_commands table makes
                                  (lib/wire/mongoose.c's rule: /category/
                                  bindings.../subcategory), under PREFIX,
                                  in --routes' format
  openapi.py replies DOCDIR RECORD
                                  every reply of RECORD (tests/lib.sh's
                                  _openapi_record: a line "executable
                                  <TAB>method<TAB>URL<TAB>length", then
                                  the reply as the client got it, that
                                  many bytes) is documented by its
                                  executable's document in DOCDIR: status,
                                  Content-Type and body; the ones that are
                                  not, one a line. The document's
                                  x-any-request (mount prefix: responses)
                                  says what any request under a mount may
                                  get besides its operation's replies;
                                  x-also-mounted (prefix: other prefix)
                                  where else its paths are served; a path
                                  item's x-any-method names the operation
                                  any method it does not list gets

Problems go to standard output, one a line; exit 1 if there is any."""
import json
import re
import sys

import jsonschema
import yaml

METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch')


_docs = {}


def load(path):
    if path not in _docs:
        with open(path, encoding='utf-8') as f:
            _docs[path] = yaml.load(f, Loader=getattr(
                yaml, 'CSafeLoader', yaml.SafeLoader))
    return _docs[path]


def resolve(doc, ref):
    if not ref.startswith('#/'):
        raise KeyError(ref)
    node = doc
    for part in ref[2:].split('/'):
        node = node[part.replace('~1', '/').replace('~0', '~')]
    return node


def deref(doc, node):
    while isinstance(node, dict) and '$ref' in node and len(node) == 1:
        node = resolve(doc, node['$ref'])
    return node


def refs(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == '$ref' and isinstance(v, str):
                out.append(v)
            else:
                refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)
    return out


def schemas(doc):
    """Every schema object of the document, with where it is."""
    out = []
    for name, s in (doc.get('components', {}).get('schemas') or {}).items():
        out.append(('components/schemas/' + name, s))

    def media(where, content):
        for ctype, m in (content or {}).items():
            if 'schema' in m:
                out.append((where + ' ' + ctype, m['schema']))
    for prefix, rs in (doc.get('x-any-request') or {}).items():
        for st, r in (rs if isinstance(rs, dict) else {}).items():
            media('x-any-request %s %s' % (prefix, st),
                  deref(doc, r).get('content'))
    for p, item in doc.get('paths', {}).items():
        item = deref(doc, item)
        for m in METHODS:
            op = item.get(m)
            if op is None:
                continue
            rb = deref(doc, op.get('requestBody', {}))
            media('%s %s request' % (m, p), rb.get('content'))
            for st, r in op.get('responses', {}).items():
                r = deref(doc, r)
                media('%s %s %s' % (m, p, st), r.get('content'))
                for h, hv in (r.get('headers') or {}).items():
                    if 'schema' in hv:
                        out.append(('%s %s %s %s' % (m, p, st, h),
                                    hv['schema']))
            for prm in op.get('parameters', []):
                prm = deref(doc, prm)
                if 'schema' in prm:
                    out.append(('%s %s %s' % (m, p, prm['name']),
                                prm['schema']))
    return out


def lint(path):
    bad = []
    doc = load(path)
    if doc.get('openapi') != '3.1.0':
        bad.append('openapi is not 3.1.0')
    for k in ('title', 'version'):
        if not doc.get('info', {}).get(k):
            bad.append('info.%s missing' % k)
    for r in refs(doc, []):
        try:
            resolve(doc, r)
        except (KeyError, TypeError):
            bad.append('unresolved $ref ' + r)
    ids = set()
    for p, item in doc.get('paths', {}).items():
        item = deref(doc, item)
        if not p.startswith('/'):
            bad.append('path %s does not start with /' % p)
        for m in item:
            if m not in METHODS and m not in ('summary', 'description',
                                              'parameters', 'servers',
                                              'x-any-method'):
                bad.append('%s: unknown member %s' % (p, m))
        if 'x-any-method' in item and item['x-any-method'] not in item:
            bad.append('%s: x-any-method %s is no operation of it' %
                       (p, item['x-any-method']))
        for m in METHODS:
            op = item.get(m)
            if op is None:
                continue
            if not op.get('responses'):
                bad.append('%s %s: no responses' % (m, p))
            oid = op.get('operationId')
            if oid is not None and oid in ids:
                bad.append('%s %s: operationId %s twice' % (m, p, oid))
            ids.add(oid)
            for st in op.get('responses', {}):
                if not re.fullmatch(r'[1-5][0-9][0-9]|default', str(st)):
                    bad.append('%s %s: bad status %s' % (m, p, st))
            for name in re.findall(r'{([^}]+)}', p):
                prms = [deref(doc, x) for x in op.get('parameters', []) +
                        item.get('parameters', [])]
                if not any(x.get('in') == 'path' and x.get('name') == name
                           for x in prms):
                    bad.append('%s %s: path parameter %s undeclared' %
                               (m, p, name))
    for prefix, rs in (doc.get('x-any-request') or {}).items():
        if not prefix.startswith('/') or not isinstance(rs, dict):
            bad.append('x-any-request %s: not a path and responses' % prefix)
            continue
        for st, r in rs.items():
            if not re.fullmatch(r'[1-5][0-9][0-9]', str(st)) or \
                    'description' not in deref(doc, r):
                bad.append('x-any-request %s %s: not a response' %
                           (prefix, st))
    for where, s in schemas(doc):
        try:
            jsonschema.Draft202012Validator.check_schema(
                s if isinstance(s, dict) else {})
        except jsonschema.SchemaError as e:
            bad.append('%s: %s' % (where, e.message))
    return bad


def routes(path, routes_file):
    doc = load(path)
    documented = set()
    for p, item in doc.get('paths', {}).items():
        item = deref(doc, item)
        for m in METHODS:
            if m in item:
                documented.add((p, m.upper()))
    served = {}
    for line in open(routes_file, encoding='utf-8'):
        if not line.strip():
            continue
        pattern, methods = line.rstrip('\n').split('\t')
        p = re.sub(r':([A-Za-z_]+)', r'{\1}', pattern)
        served.setdefault(p, set()).update(
            x.strip() for x in methods.split(',') if x.strip())
    bad = []
    for p, ms in served.items():
        ops = {m for q, m in documented if q == p}
        if not ops:
            bad.append('served, not documented: %s' % p)
            continue
        # HEAD is GET without a body; a route for any method needs its
        # POST (or GET) documented, not every verb
        for m in ops - ms:
            bad.append('documented, not served: %s %s' % (m, p))
        if len(ms) < 7:
            for m in ms - ops - {'HEAD'}:
                bad.append('served, not documented: %s %s' % (m, p))
    for p, m in documented:
        if p not in served:
            bad.append('documented, not served: %s %s' % (m, p))
    return bad


MIM_METHODS = {'MIM_READ': 'GET', 'MIM_CREATE': 'POST',
               'MIM_UPDATE': 'PUT', 'MIM_DELETE': 'DELETE'}


def top_split(text):
    """The comma-separated items of text, outside braces and parentheses."""
    out, depth, cur, q = [], 0, '', False
    for ch in text:
        if q:
            cur += ch
            q = ch != '"'
            continue
        if ch == '"':
            q = True
        elif ch in '({':
            depth += 1
        elif ch in ')}':
            depth -= 1
        elif ch == ',' and depth == 0:
            out.append(cur.strip())
            cur = ''
            continue
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def unbrace(item):
    item = item.strip()
    return item[1:-1] if item.startswith('{') and item.endswith('}') else item


def mim_args(text):
    """(name, flags) of each argument of a row's argument list."""
    out = []
    for a in top_split(unbrace(text)):
        m = re.match(r'(B|BID|BTO|CALLER)\((.*)\)$', a, re.S)
        if m:
            kind, inner = m.groups()
            if kind == 'CALLER':
                out.append(('caller', inner))
            else:
                name = re.match(r'\s*"([^"]*)"', inner).group(1)
                out.append((name, 'MA_ID' if kind == 'BID' else '0'))
            continue
        f = top_split(unbrace(a))
        if not f or f[0] == 'NULL':
            continue
        out.append((f[0].strip('"'), f[2]))
    return out


def mim_routes(source, prefix):
    text = open(source, encoding='utf-8').read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    body = text.split('mim_commands[] = {', 1)[1].split('\n};', 1)[0]
    served = {}
    for row in top_split(body):
        f = top_split(unbrace(row))
        category, sub, action = f[1].strip('"'), f[2], f[3]
        path = prefix + '/' + category
        for name, flags in mim_args(f[-2]):
            if (action in ('MIM_READ', 'MIM_DELETE') and 'MA_OPT' not in
                    flags) or 'MA_ID' in flags:
                path += '/:' + name
        if sub != 'NULL':
            path += '/' + sub.strip('"')
        served.setdefault(path, []).append(MIM_METHODS[action])
        # the category alone takes a POST or PUT with every argument
        if sub == 'NULL' and action in ('MIM_CREATE', 'MIM_UPDATE'):
            alone = served.setdefault(prefix + '/' + category, [])
            if MIM_METHODS[action] not in alone:
                alone.append(MIM_METHODS[action])
    return ['%s\t%s' % (p, ', '.join(m)) for p, m in served.items()]


def match_path(doc, path):
    for p in doc.get('paths', {}):
        rx = '^' + re.sub(r'\\{[^}]+\\}', '[^/]+', re.escape(p)) + '$'
        if re.match(rx, path):
            return p
    return None


# Where the shipped web server configurations (apache/*.conf.in) send a
# path: the executable of its prefix. Other paths are the web server's
# own business (its 404, its error pages): not checked.
MOUNTS = (
    ('/api/register', 'chatrest-register'),
    ('/api/admin', 'chatrest-admin'),
    ('/api/mongoose', 'chatrest-admin'),
    ('/api/messages', 'chatrest-client'),
    ('/api/rooms', 'chatrest-client'),
    ('/api/contacts', 'chatrest-client'),
    ('/api/sse', 'chatrest-events'),
    ('/_mxisd', 'chatrest-identity'),
    ('/_ma1sd', 'chatrest-identity'),
    ('/_matrix-internal', 'chatrest-identity'),
    ('/api/statistics', 'chatrest-web'),
    ('/api/authenticate', 'chatrest-web'),
    ('/api/authentication', 'chatrest-web'),
    ('/api/shutdown', 'chatrest-web'),
    ('/api/blocklist', 'chatrest-web'),
    ('/api/block', 'chatrest-web'),
    ('/api/disconnect', 'chatrest-web'),
    ('/api/profile', 'chatrest-web'),
    ('/api/message', 'chatrest-web'),
)


def mounted(path):
    for prefix, exe in MOUNTS:
        if path == prefix or path.startswith(prefix + '/'):
            return exe
    return None


def split_reply(raw):
    """(status, headers, body) of a CGI or HTTP reply, as tests/lib.sh's
    _reply_split reads it; status None without a header block."""
    end = raw.find(b'\r\n\r\n')
    if end < 0:
        return None, {}, raw
    head = raw[:end].decode('latin-1').split('\r\n')
    body = raw[end + 4:]
    status = None
    if head[0].startswith('HTTP/'):
        status = head.pop(0).split(' ')[1]
    headers = {}
    for line in head:
        k, _, v = line.partition(':')
        headers.setdefault(k.strip().lower(), v.strip())
    if status is None:
        status = headers.get('status', '200').split(' ')[0]
    return status, headers, body


def mount_responses(doc, path):
    """What any request under path's mount may get (the checks before
    routing, the route table's own answers), from the document's
    x-any-request: mount prefix: responses."""
    best = None
    if not path.startswith('/'):
        # not a path (CONNECT's host:port, "*"): the executable's checks
        # before routing, the same under each of its mounts
        return next(iter((doc.get('x-any-request') or {}).values()), {})
    for prefix, rs in (doc.get('x-any-request') or {}).items():
        if (path == prefix or path.startswith(prefix + '/')) and (
                best is None or len(prefix) > len(best[0])):
            best = (prefix, rs)
    return best[1] if best else {}


def also_mounted(doc, path):
    """path as the document writes it: x-also-mounted: its prefix: the
    other prefix the same routes are served at."""
    if match_path(doc, path) or mount_responses(doc, path):
        return path
    for prefix, other in (doc.get('x-also-mounted') or {}).items():
        if path == other or path.startswith(other + '/'):
            alias = prefix + path[len(other):]
            if match_path(doc, alias) or mount_responses(doc, alias):
                return alias
    return path


def check_reply(docdir, exe, method, url, raw):
    status, headers, body = split_reply(raw)
    if status is None:
        # no reply at all: the test's own checks are about that
        return []
    path = re.sub(r'^[a-z]+://[^/]*', '', url).split('?')[0]
    if exe == '-':
        exe = mounted(path)
        if exe is None:
            return []
    doc = load('%s/%s.yaml' % (docdir, exe))
    path = also_mounted(doc, path)
    where = '%s %s %s' % (method, path, status)
    # the route tables ignore one trailing slash
    p = match_path(doc, path) or (path.endswith('/') and
                                  match_path(doc, path[:-1]))
    op = None
    if p:
        item = deref(doc, doc['paths'][p])
        # x-any-method: the operation every method not listed gets
        op = item.get(method.lower()) or (
            method == 'HEAD' and item.get('get')) or \
            item.get(item.get('x-any-method'))
        where = '%s %s %s' % (method, p, status)
    # an operation's replies, and what any request under its mount may
    # get: either may answer a status
    mount = mount_responses(doc, path)
    own = op['responses'] if op is not None else {}
    if op is None and p and status == '405':
        # a method the path does not take: its 405 may be documented with
        # the methods it does take
        own = next((item[m]['responses'] for m in METHODS if m in item and
                    '405' in item[m].get('responses', {})), {})
    if not own and not mount:
        return ['%s: no such operation in %s' % (where, exe)]
    candidates = [x[status] for x in (own, mount) if status in x]
    if not candidates and 'default' in own:
        candidates = [own['default']]
    if not candidates:
        return ['%s: status not documented%s' %
                (where, '' if op else ' (no operation takes it)')]
    problems = None
    for r in candidates:
        bad = check_response(doc, deref(doc, r), method, headers, body)
        if not bad:
            return []
        problems = problems or bad
    return ['%s: %s' % (where, b) for b in problems[:3]]


def check_response(doc, r, method, headers, body):
    content = r.get('content') or {}
    ctype = headers.get('content-type', '').split(';')[0].strip().lower()
    if not content:
        return [] if body == b'' or method == 'HEAD' else \
            ['a body (%s) where none is documented' % ctype]
    if method == 'HEAD':
        return []
    if body == b'' and not ctype and not any('schema' in m for m in
                                             content.values()):
        # a media type without a schema: "an empty body or ..."
        return []
    if ctype not in content:
        return ['Content-Type %s, documented %s' %
                (ctype or 'none', ', '.join(content))]
    schema = content[ctype].get('schema')
    if schema is None or ctype != 'application/json':
        return []
    try:
        value = json.loads(body.decode('utf-8'))
    except ValueError as e:
        return ['not JSON: %s' % e]
    v = validator(doc, schema)
    return ['%s at %s' % (e.message, '/'.join(str(x) for x in
                                              e.absolute_path) or 'the top')
            for e in v.iter_errors(value)]


_validators = {}


def inline(doc, schema, depth=0):
    """schema with its $refs replaced by what they point at: jsonschema
    resolves a $ref on every instance, which is slow on long arrays."""
    if depth > 32:
        raise ValueError('$ref nesting too deep')
    if isinstance(schema, list):
        return [inline(doc, x, depth) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: inline(doc, v, depth) for k, v in schema.items()
           if k != '$ref'}
    if '$ref' in schema:
        target = inline(doc, resolve(doc, schema['$ref']), depth + 1)
        out = target if not out else {'allOf': [target, out]}
    return out


def validator(doc, schema):
    key = (id(doc), id(schema))
    if key not in _validators:
        _validators[key] = jsonschema.Draft202012Validator(
            inline(doc, schema))
    return _validators[key]


def replies(docdir, record):
    bad = []
    with open(record, 'rb') as f:
        data = f.read()
    at = 0
    while at < len(data):
        nl = data.index(b'\n', at)
        exe, method, url, n = data[at:nl].decode('utf-8').split('\t')
        raw = data[nl + 1:nl + 1 + int(n)]
        at = nl + 1 + int(n)
        for b in check_reply(docdir, exe, method, url, raw):
            bad.append('%s %s %s: %s' % (exe, method, url, b))
    return bad


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    for a in args:
        if a.endswith('.yaml'):
            try:
                load(a)
            except yaml.YAMLError as e:
                print('%s: not YAML: %s' % (a, str(e).replace('\n', ' ')))
                return 1
    if cmd == 'lint':
        bad = [a + ': ' + b for a in args for b in lint(a)]
    elif cmd == 'routes':
        bad = routes(args[0], args[1])
    elif cmd == 'mimroutes':
        for line in mim_routes(args[0], args[1]):
            print(line)
        return 0
    elif cmd == 'replies':
        bad = replies(args[0], args[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for b in bad:
        print(b)
    return 1 if bad else 0


sys.exit(main())
