"""Coq's concrete syntax, as the exporters write it: identifiers, numbers, and terms that know
their own precedence and scope, so a statement comes out with as few parentheses and scope
delimiters as Coq needs to read it back.

Every statement is written under `Open Scope R_scope`. A term records the scope its notations
must be read in (`+`, `<=` and numerals mean different things in Z and in R): an integer subterm
that meets a real or propositional context is wrapped in `( … )%Z`, and a real one inside an
integer context in `( … )%R`. A variable or an application of a variable needs no delimiter: its
type fixes its meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

REAL, INTEGER, PROP = "R", "Z", "Prop"

# Precedence levels, as in Coq's grammar (a higher level binds more loosely).
ATOM, APPLICATION, POWER, NEGATION, PRODUCT, SUM, COMPARISON, NOT, AND, OR, IFF, ARROW, TOP = (
    0, 10, 30, 35, 40, 50, 70, 75, 80, 85, 95, 99, 200)

# Names a variable may not take: Coq's keywords, and the names the statements themselves use.
RESERVED = frozenset("""
    _ as at cofix else end exists exists2 fix for forall fun if in let match mod return then where with
    Axiom CoFixpoint Definition Fixpoint Hypothesis Lemma Parameter Prop SProp Set Theorem Type Variable
    IF R Z nat bool True False and or not iff eq ex sig sum prod unit
    PI exp ln sin cos tan atan sqrt Rabs Rpower pow powerRZ Rmin Rmax Rdiv Rinv Rplus Rmult Rminus Ropp
    IZR INR ite interval field ring lra lia nra nia psatz Qed Proof Abort Goal
""".split())

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_']*$")


def identifier(name: str, taken: set[str]) -> str:
    """A Coq identifier for `name`, unique among `taken` (which it joins): the name itself when
    Coq accepts it, else with its other characters as `_`, and a suffix where it would clash."""
    candidate = name if _IDENTIFIER.match(name) else re.sub(r"[^A-Za-z0-9_']", "_", name)
    if not candidate or not (candidate[0].isalpha() or candidate[0] == "_"):
        candidate = f"v_{candidate}"
    if candidate in RESERVED:
        candidate = f"{candidate}_"
    unique, suffix = candidate, 1
    while unique in taken:
        suffix += 1
        unique = f"{candidate}{suffix}"
    taken.add(unique)
    return unique


@dataclass(frozen=True, slots=True)
class Term:
    """A piece of Coq text, its precedence level, its type (R, Z or Prop), and the scope its
    notations must be read in (None when it uses none at its surface)."""

    text: str
    level: int = ATOM
    kind: str = REAL
    scope: str | None = None

    def at(self, level: int, scope: str | None = REAL) -> str:
        """The text as an operand at `level` in a context read in `scope`."""
        if self.scope is not None and self.scope != scope:
            return f"{self.text}%{self.scope}" if self.level == ATOM else f"({self.text})%{self.scope}"
        return f"({self.text})" if self.level > level else self.text

    def alone(self) -> str:
        """The text where a whole proposition or term is expected, under R_scope."""
        return self.at(TOP, REAL)


def number(value: Fraction | int, kind: str) -> Term:
    """A rational constant as Coq writes it: `3`, `1 / 2`, `- 5`."""
    value = Fraction(value)
    if kind == INTEGER and value.denominator != 1:
        raise ValueError(f"{value} is not an integer")
    magnitude = abs(value)
    if magnitude.denominator == 1:
        term = Term(str(magnitude.numerator), ATOM, kind, kind)
    else:
        term = Term(f"{magnitude.numerator} / {magnitude.denominator}", PRODUCT, kind, kind)
    return negation(term) if value < 0 else term


def negation(term: Term) -> Term:
    return Term(f"- {term.at(NEGATION - 1, term.kind)}", NEGATION, term.kind, term.kind)


def arithmetic(left: Term, operator: str, right: Term, level: int) -> Term:
    """left op right for + - * /, left-associative, read in the scope of its type."""
    kind = left.kind
    return Term(f"{left.at(level, kind)} {operator} {right.at(level - 1, kind)}", level, kind, kind)


def power(base: Term, exponent: int) -> Term:
    """base ^ n with a natural exponent (Coq's `pow` for R and `Z.pow` for Z)."""
    return Term(f"{base.at(POWER - 1, base.kind)} ^ {exponent}", POWER, base.kind, base.kind)


def comparison(left: Term, operator: str, right: Term) -> Term:
    """left ≤ right and friends, read in the scope of the operands; a proposition."""
    scope = left.kind
    return Term(f"{left.at(COMPARISON - 1, scope)} {operator} {right.at(COMPARISON - 1, scope)}", COMPARISON,
                PROP, scope)


def connective(terms: list[Term], operator: str, level: int, empty: str) -> Term:
    """a /\\ b /\\ c (right-associative, as Coq's connectives are); `empty` for no operand."""
    if not terms:
        return Term(empty, ATOM, PROP)
    if len(terms) == 1:
        return terms[0]
    parts = [t.at(level - 1, REAL) for t in terms[:-1]] + [terms[-1].at(level, REAL)]
    return Term(f" {operator} ".join(parts), level, PROP, _surface(terms))


def implication(premise: Term, conclusion: Term) -> Term:
    return Term(f"{arrow_operand(premise)} -> {arrow_operand(conclusion, ARROW)}", ARROW, PROP,
                _surface([premise, conclusion]))


def arrow_operand(term: Term, level: int = ARROW - 1) -> str:
    """An operand of `->`: `A <-> B` binds tighter than `->` in Coq, but a reader should not have
    to know it, so it is parenthesized."""
    return f"({term.text})" if term.level == IFF else term.at(level, REAL)


def iff(left: Term, right: Term) -> Term:
    return Term(f"{left.at(IFF - 1, REAL)} <-> {right.at(IFF - 1, REAL)}", IFF, PROP, _surface([left, right]))


def neg(term: Term) -> Term:
    return Term(f"~ {term.at(NOT, REAL)}", NOT, PROP, _surface([term]))


def application(function: str, arguments: list[Term], kind: str) -> Term:
    """f a b: an integer argument with notations carries its own delimiter (`r (k - 1)%Z`)."""
    if not arguments:
        return Term(function, ATOM, kind)
    parts = [a.at(APPLICATION - 1, None if a.scope == INTEGER else REAL) for a in arguments]
    return Term(f"{function} {' '.join(parts)}", APPLICATION, kind, _surface(arguments))


def _surface(terms: list[Term]) -> str | None:
    """The scope a compound written under R_scope needs: R when an operand left a real notation
    undelimited, else none."""
    return REAL if any(t.scope == REAL for t in terms) else None


def comment(text: str) -> str:
    """A Coq comment; `*)` inside it is broken so it cannot end the comment early."""
    return "(* " + text.replace("*)", "* )").replace("(*", "( *") + " *)"
