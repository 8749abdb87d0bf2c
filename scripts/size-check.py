#!/usr/bin/env python3
"""Lists files in src/ over 300 lines and methods (any brace block opened by a member signature) over 80 lines.

A rough C# reader: a member starts at a line that looks like a method/constructor/accessor/local-function signature at
class-member indentation, and ends at its matching brace; expression-bodied members are counted to their ';'.
Usage: scripts/size-check.py [root] (default: src). Exit 1 when anything is over.
"""
import os
import re
import sys

MAX_FILE, MAX_METHOD = 300, 80
SIG = re.compile(r'^(?: {4}| {8}| {12})(?:\[[^\]]*\]\s*)*(?:(?:public|private|internal|protected|static|override|virtual|abstract|sealed|async|unsafe|extern|new|partial|readonly|file)\s+)*'
                 r'(?:[\w<>\[\],.?() ]+?\s+)?(?:operator\s*\S+|[A-Za-z_][\w.]*)\s*(?:<[^>()]*>)?\s*\(')
KEYWORDS = {'if', 'for', 'foreach', 'while', 'switch', 'catch', 'using', 'return', 'new', 'lock', 'fixed', 'throw', 'await', 'else', 'nameof', 'typeof', 'when', 'base', 'this'}


def methods(lines):
    i = 0
    while i < len(lines):
        line = lines[i]
        head = re.findall(r'[\w.]+', re.sub(r'<[^>]*>', '', line.split('(')[0]))
        if (SIG.match(line) and head and head[-1] not in KEYWORDS and head[0] not in KEYWORDS and '=' not in line.split('(')[0]
                and not line.strip().endswith(';') and not re.search(r'\b(class|record|struct|interface|delegate)\b', line)):
            name = re.search(r'(?:operator\s*\S+?|[A-Za-z_]\w*)\s*(?:<[^>()]*>)?\s*(?=\()', line).group(0).split('<')[0].strip()
            depth, started, j = 0, False, i
            while j < len(lines):
                code = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|//.*', '', lines[j])
                depth += code.count('{') - code.count('}')
                if '{' in code:
                    started = True
                if started and depth <= 0:
                    break
                if not started and code.rstrip().endswith(';'):
                    break
                j += 1
            yield name, i + 1, j - i + 1
            i = j + 1 if started else i + 1
        else:
            i += 1


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else 'src'
    bad = 0
    for d, _, files in os.walk(root):
        if '/obj' in d or '/bin' in d:
            continue
        for f in sorted(files):
            if not f.endswith('.cs'):
                continue
            path = os.path.join(d, f)
            lines = open(path, encoding='utf-8').read().split('\n')
            n = len(lines) - (1 if lines and lines[-1] == '' else 0)
            if n > MAX_FILE:
                print(f'{path}: {n} lines')
                bad += 1
            for name, start, length in methods(lines):
                if length > MAX_METHOD:
                    print(f'{path}:{start}: {name} is {length} lines')
                    bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
