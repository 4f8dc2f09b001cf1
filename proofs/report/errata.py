"""Errata a paper's authors can act on: `python -m proofs errata` writes errata.md and errata.tex.

One section per claim whose verdict is `fails` or `depends` (proofs/claims.py), in claim order:
the words as recovered, the literal reading(s) with their verdicts and the words each choice
comes from, the counterexample of each refuted reading in plain numbers (its variables with
their meaning, and the sentence its engine wrote), and the correction with its status, or why
none is needed. Everything is read from status.json; nothing is re-run.

The TeX note compiles with a standard installation (pdflatex, with amsmath and amssymb): text
is escaped, the Unicode of the wording is mapped to TeX commands, and TeX math between `$…$`
passes through only when every command in it is known, else it is shown as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from proofs.report.page import CounterexampleRow, claim_order, counterexample_rows, no_correction_reason

NOTED = ("fails", "depends")


@dataclass(frozen=True)
class Witness:
    engine: str
    check: str
    sentence: str
    rows: list[CounterexampleRow]


@dataclass(frozen=True)
class ReadingEntry:
    lemma: Mapping[str, Any] | None
    verdict: str
    reading: str  # what this reading takes the words to mean ("" for a clause's own lemma)
    clause: str  # the clause's words, when the claim has several
    witness: Witness | None
    corrections: list[Mapping[str, Any]]
    no_correction: str | None


@dataclass(frozen=True)
class ClaimErratum:
    claim: Mapping[str, Any]
    readings: list[ReadingEntry] = field(default_factory=list)


def _plain(value: Any) -> bool:
    return isinstance(value, (int, float, str, bool)) or value is None or (
        isinstance(value, list) and all(isinstance(v, (int, float)) for v in value))


def witness_of(lemma: Mapping[str, Any]) -> Witness | None:
    """The refuting evidence that reads best in plain numbers: a sentence and only plain values
    first, then exact engines (z3, interval, sympy) before property tests and simulation runs."""
    refuting = [e for e in lemma.get("evidence", ()) if e.get("status") == "refuted" and e.get("counterexample")]
    if not refuting:
        return None

    def rank(e: Mapping[str, Any]) -> tuple:
        facts = e.get("facts") or {}
        return (not facts.get("sentence"), not all(_plain(v) for v in e["counterexample"].values()),
                e.get("kind") != "symbolic")

    best = min(refuting, key=rank)
    rows = counterexample_rows(best["counterexample"], lemma.get("variables"))
    values = list(best["counterexample"].values())
    rows = [CounterexampleRow(r.name, _number_list(v) if _plain(v) and isinstance(v, list) else r.value, r.meaning)
            for r, v in zip(rows, values)]
    return Witness(best["engine"], best["check"], (best.get("facts") or {}).get("sentence", ""), rows)


def _number_list(values: list[Any]) -> str:
    return "[" + ", ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in values) + "]"


def errata_entries(document: Mapping[str, Any]) -> list[ClaimErratum]:
    """Every claim that fails or depends on the reading, with its literal readings."""
    by_id = {l["id"]: l for l in document["lemmas"]}
    fixes: dict[str, list[Mapping[str, Any]]] = {}
    for lemma in document["lemmas"]:
        if lemma.get("corrects"):
            fixes.setdefault(lemma["corrects"], []).append(lemma)
    entries = []
    for claim in sorted(document.get("claims") or [], key=lambda c: claim_order(c["id"])):
        if claim.get("verdict") not in NOTED:
            continue
        clauses = claim.get("clauses") or []
        noted = {i for i, c in enumerate(clauses) if c.get("verdict") in NOTED}
        readings = []
        for reading in claim.get("readings") or []:
            if not reading.get("literal") or reading.get("clause") not in noted:
                continue
            lemma = by_id.get(reading["id"] or "")
            failing = reading["verdict"] == "fails" and lemma is not None
            readings.append(ReadingEntry(
                lemma, reading["verdict"], reading.get("reading") or "",
                clauses[reading["clause"]]["words"] if len(clauses) > 1 else "",
                witness_of(lemma) if failing else None,
                sorted(fixes.get(lemma["id"], []), key=lambda l: l["id"]) if failing else [],
                no_correction_reason(lemma, {**claim, "headline": lemma["id"]}) if failing else None))
        entries.append(ClaimErratum(claim, readings))
    return entries


# ---------------------------------------------------------------------------------------------
# Markdown


def _md(text: Any) -> str:
    return str(text or "").replace("\n", " ").strip()


def _cell(text: Any) -> str:
    return _md(text).replace("|", "\\|")


def render_markdown(document: Mapping[str, Any], headline: str | None) -> str:
    title = (document.get("project") or {}).get("title") or "Proof status"
    entries = errata_entries(document)
    lines = [f"# Errata: {_md(title)}", "",
             f"Generated from the report of {document.get('generated_at', '')}"
             f" (commit `{(document.get('provenance') or {}).get('git_commit') or 'outside git'}`)"
             " by `python -m proofs errata`. Do not edit: it is rewritten from status.json.", ""]
    if headline:
        lines += [headline, ""]
    lines += [f"{len(entries)} claim(s) fail as their words state them or depend on how the words are read. "
              "Each section gives the words, the reading checked, the counterexample in plain numbers and what "
              "holds instead, each with the verdict of its lemma.", ""]
    for entry in entries:
        claim = entry.claim
        where = f" ({claim['location']})" if claim.get("location") else ""
        lines += [f"## {claim['id']}: {_md(claim.get('name'))}{where}: {claim['verdict']}", "",
                  f"**The words.** {_md(claim.get('wording'))}", "", f"**Verdict.** {_md(claim.get('verdict_reason'))}", ""]
        if claim.get("choices"):
            lines += ["**The literal reading's choices.**", ""]
            lines += [f"- {_md(c['choice'])} (from the words “{_md(c['words'])}”)" for c in claim["choices"]]
            lines.append("")
        for reading in entry.readings:
            lines += _markdown_reading(reading)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_reading(reading: ReadingEntry) -> list[str]:
    lemma = reading.lemma
    name = f"`{lemma['id']}` ({lemma['status']})" if lemma else "not encoded yet"
    lines = [f"### Reading {name}: {reading.verdict}", ""]
    if reading.clause:
        lines += [f"Clause: “{_md(reading.clause)}”.", ""]
    if reading.reading:
        lines += [f"Taking the words as: {_md(reading.reading)}.", ""]
    if lemma:
        lines += [f"Statement: {_md(lemma.get('statement'))}", ""]
    if reading.witness:
        w = reading.witness
        lines += [f"**Counterexample** ({w.engine}, `{w.check}`)" + (f": {_md(w.sentence)}" if w.sentence else "."), ""]
        if w.rows:
            lines += ["| variable | value | meaning |", "| --- | --- | --- |"]
            lines += [f"| `{r.name}` | {r.value} | {_cell(r.meaning)} |" for r in w.rows]
            lines.append("")
    for fix in reading.corrections:
        proved = " (fully proved)" if fix.get("fully_proved") else ""
        lines += [f"**What holds instead** (`{fix['id']}`, {fix['status']}{proved}): {_md(fix.get('statement'))}", ""]
    if reading.verdict == "fails" and not reading.corrections:
        lines += [f"**No correction.** {_md(reading.no_correction) or 'None is registered yet.'}", ""]
    return lines


# ---------------------------------------------------------------------------------------------
# TeX

TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
                "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
# Unicode of the wordings and statements, as TeX math (wrapped in \ensuremath) or text
UNICODE_MATH = {
    "±": r"\pm", "·": r"\cdot", "×": r"\times", "½": r"\tfrac12", "‖": r"\|", "ℋ": r"\mathcal{H}",
    "ℒ": r"\mathcal{L}", "ℓ": r"\ell", "ℕ": r"\mathbb{N}", "ℝ": r"\mathbb{R}", "ℵ": r"\aleph", "↑": r"\uparrow",
    "→": r"\to", "↓": r"\downarrow", "↦": r"\mapsto", "⇒": r"\Rightarrow", "∀": r"\forall", "∂": r"\partial",
    "∃": r"\exists", "∅": r"\emptyset", "∇": r"\nabla", "∈": r"\in", "−": "-", "√": r"\surd", "∝": r"\propto",
    "∞": r"\infty", "∧": r"\wedge", "∨": r"\vee", "∩": r"\cap", "∪": r"\cup", "∼": r"\sim", "≈": r"\approx",
    "≠": r"\neq", "≡": r"\equiv", "≤": r"\leq", "≥": r"\geq", "≪": r"\ll", "≫": r"\gg", "⊆": r"\subseteq",
    "⊂": r"\subset", "⊥": r"\perp", "⟨": r"\langle", "⟩": r"\rangle", "⟺": r"\iff", "⟹": r"\implies",
    "𝒮": r"\mathcal{S}", "𝒯": r"\mathcal{T}", "𝒜": r"\mathcal{A}", "≲": r"\lesssim", "≳": r"\gtrsim",
    "¬": r"\neg", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "⊕": r"\oplus", "∘": r"\circ", "′": "'",
    "Α": "A", "Β": "B", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi",
    "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "α": r"\alpha", "β": r"\beta",
    "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta",
    "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi",
    "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi", "χ": r"\chi", "ψ": r"\psi",
    "ω": r"\omega", "ϕ": r"\phi", "ϵ": r"\epsilon",
}
UNICODE_TEXT = {"§": r"\S{}", "–": "--", "—": "---", "“": "``", "”": "''", "‘": "`", "’": "'", "…": r"\ldots{}",
                "\u00a0": "~", "\u202f": r"\,", "\u2009": r"\,", "é": r"\'e", "è": r"\`e", "ü": r'\"u', "ö": r'\"o',
                "ä": r'\"a', "ï": r'\"i', "ç": r"\c{c}", "ß": r"\ss{}", "°": r"\ensuremath{^\circ}"}
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿ", "0123456789-+n"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₋₊", "0123456789-+"))
ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar", "\u0303": r"\tilde", "\u0307": r"\dot"}
PRECOMPOSED = {"Ŷ": ("Y", r"\hat"), "ŷ": ("y", r"\hat"), "ȳ": ("y", r"\bar"), "x̄": ("x", r"\bar")}
# commands allowed inside $…$ (amsmath and amssymb); a segment with any other is shown as typed
MATH_COMMANDS = set(r"""
\, \; \! \: \{ \} \| \  \Delta \Omega \Pr \Rightarrow \Leftarrow \Leftrightarrow \Theta \Phi \Psi \Gamma \Lambda
\Sigma \Pi \Xi \aleph \alpha \approx \arg \beta \cap \cup \cdot \cdots \cos \sin \tan \delta \dots \ldots \ell \eta
\epsilon \exists \exp \forall \frac \dfrac \tfrac \ge \geq \le \leq \hat \bar \tilde \iff \implies \in \notin
\infty \kappa \lambda \mu \nu \xi \zeta \iota \chi \upsilon \langle \rangle \left \right \ll \gg \ln \log \lnot
\neg \mapsto \mathbb \mathbf \mathcal \mathrm \mathit \mathsf \operatorname \max \min \sup \inf \lim \mid \nabla
\ne \neq \omega \pi \propto \psi \phi \varphi \rho \sigma \sim \simeq \sqrt \sum \prod \int \tau \text \textrm
\theta \vartheta \to \varepsilon \wedge \vee \partial \times \pm \mp \subseteq \subset \supseteq \perp \emptyset
\varnothing \lvert \rvert \lVert \rVert \lfloor \rfloor \lceil \rceil \quad \qquad \cdotp \circ \star \ast
\le \equiv \big \Big \bigl \bigr \Bigl \Bigr \overline \underline \widehat \boldsymbol \det \binom \choose
\gamma \uparrow \downarrow \leftarrow \rightarrow \longrightarrow \top \bot \setminus \lesssim \gtrsim \odot
\oplus \otimes \mathop \limits \nolimits \displaystyle \textstyle \vec \dot \ddot \prime
""".split())


def _unicode(ch: str) -> str | None:
    if ch in UNICODE_MATH:
        return rf"\ensuremath{{{UNICODE_MATH[ch]}}}"
    if ch in UNICODE_TEXT:
        return UNICODE_TEXT[ch]
    if ch in PRECOMPOSED:
        base, accent = PRECOMPOSED[ch]
        return rf"\ensuremath{{{accent}{{{base}}}}}"
    return None


def tex_text(text: Any) -> str:
    """Plain text as TeX: specials escaped, Unicode mapped, runs of super- and subscripts joined."""
    text = str(text or "")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in SUPERSCRIPTS or ch in SUBSCRIPTS:
            table, mark = (SUPERSCRIPTS, "^") if ch in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            j = i
            while j < len(text) and text[j] in table:
                j += 1
            out.append(rf"\ensuremath{{{mark}{{{''.join(table[c] for c in text[i:j])}}}}}")
            i = j
            continue
        if i + 1 < len(text) and text[i + 1] in ACCENTS:
            out.append(rf"\ensuremath{{{ACCENTS[text[i + 1]]}{{{tex_text(ch)}}}}}")
            i += 2
            continue
        if ch in TEX_SPECIALS:
            out.append(TEX_SPECIALS[ch])
        elif ord(ch) < 128 or ch in "\n\t":
            out.append(ch)
        else:
            mapped = _unicode(ch)
            out.append(mapped if mapped is not None else rf"\textsc{{[u+{ord(ch):04x}]}}")
        i += 1
    return "".join(out)


def _math_ok(math: str) -> bool:
    commands = re.findall(r"\\(?:[A-Za-z]+|.)", math)
    depth = 0
    for ch in re.sub(r"\\.", "", math):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and all(c in MATH_COMMANDS for c in commands) and all(ord(ch) < 128 for ch in math)


def tex(text: Any) -> str:
    """Text with TeX math between `$…$`: math passes through when it is known to compile, the rest
    is escaped text."""
    parts = re.split(r"(?<!\\)(\$[^$]+\$)", str(text or ""))
    out = []
    for part in parts:
        if len(part) > 2 and part.startswith("$") and part.endswith("$") and _math_ok(part[1:-1]):
            out.append(part)
        else:
            out.append(tex_text(part))
    return "".join(out)


def tex_id(lemma_id: str) -> str:
    """A lemma id in typewriter type, breakable after its dot and underscores."""
    return r"\texttt{" + tex_text(lemma_id).replace(".", r".\allowbreak{}").replace(r"\_", r"\_\allowbreak{}") + "}"


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage[margin=2.3cm]{geometry}
\usepackage{longtable}
\sloppy
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""


def render_tex(document: Mapping[str, Any], headline: str | None) -> str:
    title = (document.get("project") or {}).get("title") or "Proof status"
    commit = (document.get("provenance") or {}).get("git_commit") or "outside git"
    entries = errata_entries(document)
    lines = [PREAMBLE, r"\title{Errata: " + tex(title) + "}",
             r"\date{Generated from the report of " + tex_text(document.get("generated_at", "")) + ", commit "
             + tex_id(commit) + "}", r"\begin{document}", r"\maketitle", ""]
    if headline:
        lines += [tex(headline), ""]
    lines += [tex(f"{len(entries)} claim(s) fail as their words state them or depend on how the words are read. "
                  "Each section gives the words, the reading checked, the counterexample in plain numbers and what "
                  "holds instead, each with the verdict of its lemma."), ""]
    for entry in entries:
        claim = entry.claim
        where = f" ({claim['location']})" if claim.get("location") else ""
        lines += [r"\section*{" + tex(f"{claim['id']}: {claim.get('name') or ''}{where}") + " --- " + tex_text(claim["verdict"]) + "}",
                  r"\textbf{The words.} " + tex(claim.get("wording")), "",
                  r"\textbf{Verdict.} " + tex(claim.get("verdict_reason")), ""]
        if claim.get("choices"):
            lines += [r"\textbf{The literal reading's choices.}", r"\begin{itemize}"]
            lines += [r"\item " + tex(c["choice"]) + " (from the words ``" + tex(c["words"]) + "'')" for c in claim["choices"]]
            lines += [r"\end{itemize}", ""]
        for reading in entry.readings:
            lines += _tex_reading(reading)
    lines += [r"\end{document}", ""]
    return "\n".join(lines)


def _tex_reading(reading: ReadingEntry) -> list[str]:
    lemma = reading.lemma
    name = (tex_id(lemma["id"]) + " (" + tex_text(lemma["status"]) + ")") if lemma else "not encoded yet"
    lines = [r"\subsection*{Reading " + name + ": " + tex_text(reading.verdict) + "}"]
    if reading.clause:
        lines += ["Clause: ``" + tex(reading.clause) + "''.", ""]
    if reading.reading:
        lines += ["Taking the words as: " + tex(reading.reading) + ".", ""]
    if lemma:
        lines += ["Statement: " + tex(lemma.get("statement")), ""]
    if reading.witness:
        w = reading.witness
        lines += [r"\textbf{Counterexample} (" + tex_text(w.engine) + ", " + tex_id(w.check) + ")"
                  + (": " + tex(w.sentence) if w.sentence else "."), ""]
        if w.rows:
            lines += [r"\begin{longtable}{@{}p{0.2\linewidth}p{0.3\linewidth}p{0.44\linewidth}@{}}",
                      r"\textbf{variable} & \textbf{value} & \textbf{meaning}\\ \hline"]
            lines += [tex_id(r.name) + " & " + tex_text(r.value) + " & " + tex(r.meaning) + r"\\" for r in w.rows]
            lines += [r"\end{longtable}", ""]
    for fix in reading.corrections:
        proved = ", fully proved" if fix.get("fully_proved") else ""
        lines += [r"\textbf{What holds instead} (" + tex_id(fix["id"]) + ", " + tex_text(fix["status"]) + proved + "): "
                  + tex(fix.get("statement")), ""]
    if reading.verdict == "fails" and not reading.corrections:
        lines += [r"\textbf{No correction.} " + tex(reading.no_correction or "None is registered yet."), ""]
    return lines


def write_errata(document: Mapping[str, Any], directory: Path, headline: str | None) -> list[Path]:
    """errata.md and errata.tex in `directory`; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    markdown, texfile = directory / "errata.md", directory / "errata.tex"
    markdown.write_text(render_markdown(document, headline))
    texfile.write_text(render_tex(document, headline))
    return [markdown, texfile]
