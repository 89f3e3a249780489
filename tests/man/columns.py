#!/usr/bin/env python3
"""Check every .Bl -column list of the pages given for what groff cannot
render: a cell wider than its column (groff runs it into the next cell), or
columns so wide that the last one is left too narrow to read.  mandoc wraps
either case; groff, Debian's default man, does not.  Prints one line per
problem; exit 1 if there is any."""
import re
import sys

WIDTH = 78	# a terminal of 80 less the margin
SECTION = 5	# body text indent
OFFSET = 6	# -offset indent
TAG = 6		# a nested -tag -width Ds body
LAST_MIN = 12	# narrowest readable last column

MACROS = {'Pa', 'Li', 'Sy', 'Cm', 'Ar', 'Em', 'No', 'Ev', 'Fl', 'Va', 'Dv',
          'Er', 'Ic', 'Nm', 'Ql', 'Dq', 'Sq', 'Xr', 'Ns', 'Lk', 'Mt', 'Pq'}


def text_len(words):
    """Approximate rendered width of a cell given as mdoc words."""
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in ('Ql', 'Dq', 'Sq'):
            out.append('""')
        elif w == 'Pq':
            out.append('()')
        elif w == 'Xr' and i + 2 < len(words) + 1:
            out.append(words[i + 1] + '(' + (words[i + 2] if i + 2 < len(words) else '') + ')')
            i += 3
            continue
        elif w in MACROS:
            pass
        else:
            w = re.sub(r'\\\([a-z]{2}', 'x', w)
            w = w.replace('\\&', '').replace('\\e', '\\')
            out.append(w)
        i += 1
    s = ' '.join(x for x in out if x)
    s = re.sub(r' ([.,;:)])', r'\1', s)
    return len(s)


def spec_len(s):
    return len(re.sub(r'\\\([a-z]{2}', 'x', s).replace('\\&', ''))


def check(path):
    bad = 0
    depth = []	# indents of the open lists
    cur = None	# (specs, indent, lineno) of the open -column list
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if line.startswith('.Bl '):
            args = [a or b for a, b in
                    re.findall(r'"([^"]*)"|(\S+)', line[4:])]
            indent = OFFSET if '-offset' in args else 0
            base = sum(depth)
            if args and args[0] == '-column':
                specs = []
                for a in args[1:]:
                    if a.startswith('-'):
                        break
                    specs.append(spec_len(a))
                cur = (specs, base + indent, n)
                total = SECTION + base + indent + sum(specs) + 2 * len(specs)
                if WIDTH - total < LAST_MIN:
                    print(f'{path}:{n}: columns leave {WIDTH - total} '
                          'characters for the last one')
                    bad = 1
            depth.append(indent + (TAG if args and args[0] == '-tag' else 0))
        elif line.startswith('.El'):
            if depth:
                depth.pop()
            cur = None
        elif line.startswith('.It ') and cur is not None:
            cells = re.split(r'\s+Ta\s+', line[4:])
            for i, cell in enumerate(cells[:-1]):
                if i >= len(cur[0]):
                    break
                words = [a or b for a, b in
                         re.findall(r'"([^"]*)"|(\S+)', cell)]
                if text_len(words) > cur[0][i]:
                    print(f'{path}:{n}: cell {i + 1} is wider than its '
                          f'column ({text_len(words)} > {cur[0][i]})')
                    bad = 1
    return bad


sys.exit(max([check(p) for p in sys.argv[1:]] + [0]))
