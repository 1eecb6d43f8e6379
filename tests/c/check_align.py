#!/usr/bin/env python3
"""check_align.py FILE...: continuation lines of generated C must sit under
their open parenthesis (or 4 past it, for a broken operand), or 4 or 8
columns past the line that opened it; templates cannot measure names, so
this catches alignment that only fits one schema.  Prints each offending
line as FILE:LINE and exits 1 when there is one."""
import re
import sys

bad = 0
for path in sys.argv[1:]:
    lines = open(path, encoding="utf-8").read().split("\n")
    stack = []  # (column of "(", indentation of its line)
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if (stack and line.strip() and not line.lstrip().startswith("#")
                and not lines[i - 1].rstrip().endswith("\\")):
            col, opener = stack[-1]
            if indent not in (col + 1, col + 5, opener + 4, opener + 8):
                print(f"{path}:{i + 1}: continuation at column {indent + 1}, "
                      f"parenthesis at {col + 1}: {line.strip()[:60]}")
                bad += 1
        code = re.sub(r'"(\\.|[^"\\])*"', lambda m: "x" * len(m.group(0)), line)
        code = re.sub(r"'(\\.|[^'\\])*'", lambda m: "x" * len(m.group(0)), code)
        code = re.sub(r"/\*.*?\*/", lambda m: " " * len(m.group(0)), code)
        if "/*" in code:
            code = code[:code.index("/*")]
        if code.lstrip().startswith("*"):
            continue
        for j, ch in enumerate(code):
            if ch == "(":
                stack.append((j, indent))
            elif ch == ")" and stack:
                stack.pop()
sys.exit(1 if bad else 0)
