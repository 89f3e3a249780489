#!/usr/bin/env python3
"""Run the shell examples of documents in order, each as one session, and
compare what each command prints with what the document shows.

  doctest.py [--env FILE] [--reset COMMAND] KIND PATH [KIND PATH...]

  markdown README.md     ```sh blocks; a "# " line right after
                                    a command is its output; a block after
                                    <!-- not run: why --> is skipped
  mdoc PAGE.8                       the .Bd -literal blocks of EXAMPLES
                                    (but one after .\\" not run: why);
                                    "$ " and "# " start commands, other
                                    lines are their output

In shown output, "..." stands for any text within a line (ids, times,
tokens).  A command shown without output must print nothing.  Commands run
with sh in the current directory; TAP goes to standard output."""
import re
import subprocess
import sys


def md_examples(path):
    """(line, command, [expected lines]) from ```sh blocks."""
    lines = open(path, encoding='utf-8').read().split('\n')
    out = []
    i = 0
    skip = False
    while i < len(lines):
        line = lines[i]
        if line.startswith('<!-- not run'):
            skip = True
        elif line.strip() == '```sh':
            i += 1
            block = []
            while i < len(lines) and lines[i].strip() != '```':
                block.append((i + 1, lines[i]))
                i += 1
            if not skip:
                out.extend(md_commands(block))
            skip = False
        elif line.strip() != '':
            skip = False
        i += 1
    return out


def continues(text):
    """The command goes on on the next line: a trailing backslash, pipe or
    &&, or a single-quoted string still open."""
    t = text.rstrip()
    return (t.endswith('\\') or t.endswith('|') or t.endswith('&&') or
            t.count("'") % 2 == 1)


def md_commands(block):
    cmds = []
    cur = None
    after_blank = True
    j = 0
    while j < len(block):
        n, line = block[j]
        if line.strip() == '':
            after_blank = True
            cur = None
        elif line.startswith('#'):
            if cur is not None and not after_blank:
                cur[2].append(line[2:] if line.startswith('# ') else '')
        else:
            text = line
            while continues(text) and j + 1 < len(block):
                j += 1
                text += '\n' + block[j][1]
            cur = (n, text, [])
            cmds.append(cur)
            after_blank = False
        j += 1
    return cmds


def roff(s):
    return (s.replace('\\e', '\\').replace('\\(dq', '"').replace('\\&', '')
            .replace('\\(en', '-'))


def mdoc_examples(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    out = []
    in_ex = in_bd = skip = False
    cur = None
    for n, line in enumerate(lines, 1):
        if line.startswith('.Sh '):
            in_ex = line.strip() == '.Sh EXAMPLES'
            continue
        if not in_ex:
            continue
        if line.startswith('.\\" not run'):
            skip = True
            continue
        if line.startswith('.Bd -literal'):
            in_bd = not skip
            skip = False
            cur = None
            continue
        if line.startswith('.Ed'):
            in_bd = False
            cur = None
            continue
        if not in_bd:
            continue
        text = roff(line)
        if cur is not None and continues(cur[1]):
            cur = (cur[0], cur[1] + '\n' + text, cur[2])
            out[-1] = cur
        elif text.startswith('$ ') or text.startswith('# '):
            cur = (n, text[2:], [])
            out.append(cur)
        elif cur is not None:
            cur[2].append(text)
    return out


def matches(want, got):
    w = want.rstrip('\n').split('\n') if want.strip() else []
    g = got.rstrip('\n').split('\n') if got.strip() else []
    if len(w) != len(g):
        return False
    for a, b in zip(w, g):
        pat = '.*'.join(re.escape(p) for p in a.rstrip().split('...'))
        if not re.fullmatch(pat, b.rstrip()):
            return False
    return True


def run(cmds, env):
    """Run the commands as one sh session: {index: (stdout, stderr)}."""
    script = ['. "%s"' % env] if env else []
    for i, (n, cmd, _) in enumerate(cmds):
        script.append("printf '\\n@@%d@@\\n'; printf '\\n@@%d@@\\n' >&2" %
                      (i, i))
        script.append(cmd)
    script.append("printf '\\n@@end@@\\n'")
    p = subprocess.run(['sh', '-c', '\n'.join(script)], capture_output=True,
                       text=True, timeout=300)

    def split(s):
        parts = {}
        for m in re.finditer(r'\n@@(\d+)@@\n(.*?)(?=\n@@(?:\d+|end)@@\n|\Z)',
                             s, re.S):
            parts[int(m.group(1))] = m.group(2)
        return parts
    return split(p.stdout), split(p.stderr)


def main():
    """doctest.py [--env FILE] [--reset COMMAND] KIND PATH [KIND PATH...]:
    each document is one session, after COMMAND if given, in the
    environment FILE sets."""
    args = sys.argv[1:]
    env = reset = None
    while args and args[0].startswith('--'):
        if args[0] == '--env':
            env = args[1]
        elif args[0] == '--reset':
            reset = args[1]
        args = args[2:]
    docs = [(args[i], args[i + 1]) for i in range(0, len(args), 2)]
    plan = [(k, p, md_examples(p) if k == 'markdown' else mdoc_examples(p))
            for k, p in docs]
    print('1..%d' % sum(len(c) for _, _, c in plan))
    t = failed = 0
    for d, (kind, path, cmds) in enumerate(plan):
        if not cmds:
            continue
        if reset:
            subprocess.run(['sh', '-c', reset], check=True)
        outs, errs = run(cmds, env)
        for i, (n, cmd, want) in enumerate(cmds):
            t += 1
            got = outs.get(i)
            name = '%s:%d: %s' % (path.split('/')[-1], n,
                                  cmd.split('\n')[0][:60])
            if got is not None and matches('\n'.join(want), got):
                print('ok %d - %s' % (t, name))
                continue
            failed += 1
            print('not ok %d - %s' % (t, name))
            print('#   shown:')
            for w in want:
                print('#     ' + w)
            print('#   printed:')
            for g in (got if got is not None else '(did not run)').split('\n'):
                print('#     ' + g)
            if errs.get(i, '').strip():
                print('#   stderr:')
                for e in errs[i].strip().split('\n'):
                    print('#     ' + e)
    return 1 if failed else 0


sys.exit(main())
