#!/usr/bin/env python3
"""check-kernel-objects.py KDIR BUILD [OBJ...]: is kgss.ko kernel-ABI code?

Checks the objects Kbuild linked into BUILD/kgss.ko (from BUILD/kgss.mod), or
the objects named on the command line, against the kernel the module is built
for (KDIR: its Kbuild tree, .config and Module.symvers).  Fails (exit 1) on:

  1. an object without a Kbuild .cmd file, or whose recorded command lacks a
     flag the kernel's ABI needs: -mno-red-zone, -mcmodel=kernel, -mno-sse,
     -mno-mmx, -mno-sse2, -mno-avx, -mno-80387, -mpreferred-stack-boundary=3,
     -fno-jump-tables, -mharden-sls=all, and with CONFIG_RETPOLINE /
     CONFIG_RETHUNK the thunk flags; or that objtool did not process;
  2. any access below the stack pointer (the red zone: `-0x..(%rsp)`),
     which an interrupt overwrites;
  3. a vector instruction (%mm/%xmm/%ymm/%zmm) in a function that is not on
     compat/linux/simd-functions.txt (the target("...") functions of
     crypto/builtin/aes_ni.cc, sha1.cc, sha2.cc), or a listed function whose
     address is taken from data (a primitive class pointing straight at SIMD
     code would bypass the kernel_fpu_begin/end bracket of
     crypto/builtin/simd.h);
  4. an objtool warning or a compiler warning in BUILD/build.log;
  5. an undefined symbol of kgss.ko that the kernel does not export
     (KDIR/Module.symvers).

Every object, function and symbol found is counted in the summary, so an
empty or unreadable input cannot pass.
"""
import os
import re
import subprocess
import sys

REQUIRED_FLAGS = ["-mno-red-zone", "-mcmodel=kernel", "-mno-sse", "-mno-mmx", "-mno-sse2",
                  "-mno-avx", "-mno-80387", "-mpreferred-stack-boundary=3", "-fno-jump-tables",
                  "-mharden-sls=all"]
RETPOLINE_FLAGS = ["-mindirect-branch=thunk-extern", "-mindirect-branch-register"]
RETHUNK_FLAGS = ["-mfunction-return=thunk-extern"]

VECTOR_RE = re.compile(r"%(x|y|z)?mm[0-9]+")
REDZONE_RE = re.compile(r"-0x[0-9a-f]+\(%rsp\)")
FUNC_RE = re.compile(r"^([0-9a-f]+) <(.*)>:$")


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def kconfig(kdir):
    conf = {}
    with open(os.path.join(kdir, ".config")) as f:
        for line in f:
            m = re.match(r"^(CONFIG_[A-Z0-9_]+)=(.*)$", line.strip())
            if m:
                conf[m.group(1)] = m.group(2)
    return conf


def load_simd_list(path):
    """(simd, bracket): name prefixes of SIMD functions and of their callers."""
    simd, bracket = [], []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("bracket: "):
                bracket.append(line[len("bracket: "):])
            else:
                simd.append(line)
    return simd, bracket


def simd_allowed(func, allow):
    return any(func.startswith(a) for a in allow)


# A direct call, or a jump to the start of another function (a tail call).
CALL_RE = re.compile(r"\t(?:call|jmp)\s+[0-9a-f]+ <(.*)>$")
RELOC_RE = re.compile(r"^\s+[0-9a-f]+: R_X86_64_\S+\s+(\S+?)(?:[+-]0x[0-9a-f]+)?$")


def disassemble(obj, errors, counts):
    """Red-zone accesses are errors.  Returns ({func: n_vector_insns},
    {func: set of local call targets}, {func: set of relocated symbols})."""
    out = run("objdump", "-d", "-r", "--no-show-raw-insn", "-C", obj)
    func, vec, calls, relocs = None, {}, {}, {}
    for line in out.splitlines():
        m = FUNC_RE.match(line)
        if m:
            func = m.group(2)
            counts["functions"] += 1
            continue
        m = RELOC_RE.match(line)
        if m:
            relocs.setdefault(func, set()).add(m.group(1))
            continue
        if "\t" not in line:
            continue
        counts["instructions"] += 1
        if REDZONE_RE.search(line):
            errors.append(f"{obj}: {func}: access below %rsp (red zone): {line.strip()}")
        if VECTOR_RE.search(line):
            vec[func] = vec.get(func, 0) + 1
        m = CALL_RE.search(line)
        if m and m.group(1) != func and not re.search(r"\+0x[0-9a-f]+$", m.group(1)):
            calls.setdefault(func, set()).add(m.group(1))
    return vec, calls, relocs


def data_referenced_functions(obj):
    """Names of functions whose address is stored in a data section of obj."""
    syms = {}  # (section, value) -> demangled name of the function there
    for line in run("objdump", "-t", "-C", obj).splitlines():
        m = re.match(r"^([0-9a-f]+)\s.{7}\s(\S+)\s+[0-9a-f]+\s+(?:\.hidden\s+)?(.*)$", line)
        if m and m.group(2).startswith(".text"):
            syms[(m.group(2), int(m.group(1), 16))] = m.group(3)
    refs = set()
    section = None
    for line in run("objdump", "-r", "-C", obj).splitlines():
        m = re.match(r"^RELOCATION RECORDS FOR \[(.*)\]:", line)
        if m:
            section = m.group(1)
            continue
        if section is None or section.startswith((".text", ".rela", ".debug", ".orc", ".return_sites",
                                                  ".retpoline_sites", "__mcount", ".static_call",
                                                  ".discard", "__patchable", ".call_sites")):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or not re.match(r"^[0-9a-f]+$", parts[0]):
            continue
        target = parts[2]
        m = re.match(r"^(\.text[^+-]*)([+-]0x[0-9a-f]+)?$", target)
        if m:
            off = int(m.group(2), 16) if m.group(2) else 0
            refs.add(syms.get((m.group(1), off), target))
        else:
            refs.add(target)
    return refs


def check_cmd(obj, conf, errors):
    d, b = os.path.split(obj)
    cmd_file = os.path.join(d, "." + b + ".cmd")
    if not os.path.exists(cmd_file):
        errors.append(f"{obj}: no Kbuild .cmd file (not built by Kbuild's rules)")
        return
    with open(cmd_file) as f:
        text = f.read()
    m = re.search(r"^savedcmd_\S+ := (.*)$|^cmd_\S+ := (.*)$", text, re.M)
    cmd = (m.group(1) or m.group(2)) if m else ""
    flags = cmd.split()
    need = list(REQUIRED_FLAGS)
    if conf.get("CONFIG_RETPOLINE") == "y":
        need += RETPOLINE_FLAGS
    if conf.get("CONFIG_RETHUNK") == "y":
        need += RETHUNK_FLAGS
    for flag in need:
        if flag not in flags:
            errors.append(f"{obj}: built without {flag}")
    if "-fPIC" in flags or "-fpic" in flags or "-fPIE" in flags:
        errors.append(f"{obj}: position-independent code")
    if conf.get("CONFIG_OBJTOOL") == "y" and "objtool" not in cmd:
        errors.append(f"{obj}: objtool did not run on it")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kdir, build = sys.argv[1], sys.argv[2]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    allow, bracket = load_simd_list(os.path.join(repo, "compat", "linux", "simd-functions.txt"))
    conf = kconfig(kdir)
    if len(sys.argv) > 3:
        objs, module = sys.argv[3:], None
    else:
        with open(os.path.join(build, "kgss.mod")) as f:
            objs = f.read().split()
        module = os.path.join(build, "kgss.ko")
    errors = []
    counts = {"objects": 0, "functions": 0, "instructions": 0, "simd_functions": 0, "brackets": 0, "undefined": 0}
    for obj in objs:
        counts["objects"] += 1
        check_cmd(obj, conf, errors)
        vec, calls, relocs = disassemble(obj, errors, counts)
        for func, n in sorted(vec.items()):
            if simd_allowed(func, allow):
                counts["simd_functions"] += 1
            else:
                errors.append(f"{obj}: {func}: {n} vector instructions outside the SIMD allowlist")
        # Who calls SIMD code: other SIMD code, or a bracket that itself
        # calls kgss_os_simd_begin (the kernel_fpu_begin of the glue).
        for caller, targets in sorted(calls.items(), key=lambda kv: str(kv[0])):
            if not any(simd_allowed(t, allow) for t in targets) or simd_allowed(caller, allow):
                continue
            if not simd_allowed(caller, bracket):
                errors.append(f"{obj}: {caller} calls SIMD code but is not a listed bracket")
            elif "kgss_os_simd_begin" not in relocs.get(caller, set()):
                errors.append(f"{obj}: bracket {caller} calls SIMD code without kgss_os_simd_begin")
            else:
                counts["brackets"] += 1
        if vec:
            for ref in data_referenced_functions(obj):
                if ref in vec and simd_allowed(ref, allow):
                    errors.append(f"{obj}: SIMD function {ref} is referenced from data "
                                  "(a class must call it through simd::section)")
    if module:
        log = os.path.join(build, "build.log")
        if os.path.exists(log):
            with open(log) as f:
                for line in f:
                    if "warning:" in line or ("objtool" in line.lower() and "warn" in line.lower()):
                        errors.append(f"build.log: {line.strip()}")
        else:
            errors.append("build.log missing: cannot tell whether objtool or the compiler warned")
        exported = set()
        with open(os.path.join(kdir, "Module.symvers")) as f:
            for line in f:
                parts = line.split("\t")
                if len(parts) >= 2:
                    exported.add(parts[1])
        for line in run("nm", "-u", module).splitlines():
            sym = line.split()[-1]
            counts["undefined"] += 1
            if sym not in exported:
                errors.append(f"kgss.ko: undefined symbol {sym} is not exported by the kernel")
    if counts["objects"] == 0 or counts["instructions"] == 0:
        errors.append("nothing was checked")
    for e in errors:
        print("FAIL:", e)
    print("checked: %(objects)d objects, %(functions)d functions, %(instructions)d instructions, "
          "%(simd_functions)d SIMD functions (allowlisted), %(brackets)d brackets, %(undefined)d undefined symbols" % counts)
    print("kernel-ABI check: " + ("FAILED (%d problems)" % len(errors) if errors else "passed"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
