"""The Coq text every exported file starts with: the libraries, two definitions the translation
needs (`ite`, and nothing else of its own), the helper lemmas the proof scripts use, and the
preprocessing tactics of the portfolio. It is part of the cache key: a change here re-checks
every goal.

What Coq's real numbers rest on. Coq's standard library builds R classically (as Dedekind cuts,
`Coq.Reals.ClassicalDedekindReals`) on three axioms, and `Print Assumptions` lists whichever of
them a proof reaches:

- `ClassicalDedekindReals.sig_forall_dec`: for a decidable predicate P on ℕ, either some n has
  ¬P(n) (and one is given), or P holds everywhere: the limited principle of omniscience, in its
  informative form. It is what makes the order of R decidable (`Rlt_dec`, `total_order_T`),
  which `lra`, `nra`, `field` and `interval` use.
- `ClassicalDedekindReals.sig_not_dec`: for every proposition P, ¬¬P or ¬P, informatively (weak
  excluded middle). The reals use it for the least upper bound; the `ite` below uses it to
  branch on a condition.
- `FunctionalExtensionality.functional_extensionality_dep`: functions that agree everywhere are
  equal. The cuts are functions, so equal reals need it.

None of them is specific to this project. Two more families come from the libraries the
portfolio uses, and `Print Assumptions` shows them where a proof reaches them:

- `Classical_Prop.classic` (excluded middle): `case_props` splits on a proposition that is a z3
  Boolean with it, and Coquelicot (beneath Interval) uses it.
- The specifications of Coq's primitive 63-bit integers and floating-point numbers
  (`PrimInt63.*`, `Uint63.*`, `PrimFloat.*`, `FloatAxioms.*`): Interval computes its enclosures
  with them (through the Bignums library and Flocq), and the kernel evaluates them with the
  machine's own integer and float instructions; the axioms state that those meet their
  mathematical specification. Every proof by `interval` lists some fifty of them.

Anything else `Print Assumptions` lists is a cited theorem stated as an `Axiom` (`cited`).
"""

from __future__ import annotations

STANDARD_AXIOMS = {
    "ClassicalDedekindReals.sig_forall_dec": "the limited principle of omniscience (informative): Coq's reals "
                                             "use it to decide the order of two real numbers",
    "ClassicalDedekindReals.sig_not_dec": "weak excluded middle (¬¬P or ¬P, informative): the reals use it for "
                                          "least upper bounds; `ite` uses it to branch on a condition",
    "FunctionalExtensionality.functional_extensionality_dep": "functions equal at every point are equal: "
                                                              "Coq's reals are Dedekind cuts, i.e. functions",
}

LOGIC_AXIOMS = {"Classical_Prop.classic": "excluded middle: a proof that splits on a z3 Boolean (case_props), and "
                                          "Coquelicot beneath Interval"}
PRIMITIVE_PREFIXES = ("PrimInt63.", "Uint63.", "PrimFloat.", "FloatAxioms.", "Int63.", "Sint63.")


def kinds_of_assumptions(names: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """`Print Assumptions`' names sorted into what they are: the axioms of Coq's reals, classical
    logic, the specifications of primitive numbers, and the rest, which are the cited theorems."""
    kinds: dict[str, list[str]] = {"reals": [], "logic": [], "primitive numbers": [], "cited": []}
    for name in names:
        if name in STANDARD_AXIOMS:
            kinds["reals"].append(name)
        elif name in LOGIC_AXIOMS or name == "classic":
            kinds["logic"].append(name)
        elif name.startswith(PRIMITIVE_PREFIXES):
            kinds["primitive numbers"].append(name)
        else:
            kinds["cited"].append(name)
    return kinds


PRELUDE = r"""Require Export Reals Lra Lia Psatz ZArith.
Require Coq.Logic.Classical_Prop.
From Interval Require Export Tactic.
Global Open Scope R_scope.

(* ite c a b: SMT-LIB's (ite c a b), for a condition c stated as a proposition. It branches with
   the axiom sig_not_dec that Coq's real numbers already rest on, and adds no assumption of its own. *)
Definition ite {A : Type} (c : Prop) (a b : A) : A :=
  if ClassicalDedekindReals.sig_not_dec c then a else b.

Lemma ite_cases : forall (A : Type) (c : Prop) (a b : A),
  (~ ~ c /\ ite c a b = a) \/ (~ c /\ ite c a b = b).
Proof. intros A c a b. unfold ite. destruct (ClassicalDedekindReals.sig_not_dec c); [left | right]; split; auto. Qed.

Lemma ite_True : forall (A : Type) (a b : A), ite True a b = a.
Proof. intros A a b. destruct (ite_cases A True a b) as [[_ E] | [N _]]; [exact E | exfalso; exact (N I)]. Qed.

Lemma ite_False : forall (A : Type) (a b : A), ite False a b = b.
Proof. intros A a b. destruct (ite_cases A False a b) as [[N _] | [_ E]]; [exfalso; exact (N (fun f => f)) | exact E]. Qed.

Lemma division_cases : forall a d : R, (d = 0 /\ a / d = 0) \/ (d <> 0 /\ a / d * d = a).
Proof.
  intros a d. destruct (Req_dec d 0) as [Hd | Hd].
  - left. split; [exact Hd | subst d; unfold Rdiv; rewrite Rinv_0; ring].
  - right. split; [exact Hd | field; exact Hd].
Qed.

Lemma ge_by_gap : forall a b : R, 0 <= a - b -> a >= b. Proof. intros; lra. Qed.
Lemma gt_by_gap : forall a b : R, 0 < a - b -> a > b. Proof. intros; lra. Qed.
Lemma le_by_gap : forall a b : R, 0 <= b - a -> a <= b. Proof. intros; lra. Qed.
Lemma lt_by_gap : forall a b : R, 0 < b - a -> a < b. Proof. intros; lra. Qed.

Lemma Z_induction_from : forall (s : Z) (P : Z -> Prop),
  P s -> (forall n, (n >= s)%Z -> P n -> P (n + 1)%Z) -> forall n, (n >= s)%Z -> P n.
Proof.
  intros s P Hs Hstep n Hn.
  assert (H : forall m : nat, P (s + Z.of_nat m)%Z).
  { induction m as [| m IH].
    - rewrite Z.add_0_r. exact Hs.
    - rewrite Nat2Z.inj_succ, Z.add_succ_r, <- Z.add_1_r. apply Hstep; [lia | exact IH]. }
  replace n with (s + Z.of_nat (Z.to_nat (n - s)))%Z by lia. apply H.
Qed.

(* Preprocessing of the portfolio: each turns the goal into one that lra, nra or lia can read. *)
Ltac split_ites :=
  repeat match goal with
  | |- context [ite ?c ?a ?b] =>
      let E := fresh "E" in
      destruct (ite_cases _ c a b) as [[? E] | [? E]]; rewrite E in *; clear E
  | H : context [ite ?c ?a ?b] |- _ =>
      let E := fresh "E" in
      destruct (ite_cases _ c a b) as [[? E] | [? E]]; rewrite E in *; clear E
  end.

(* a / d for a d that is not a numeral becomes a variable q with q * d = a (or d = 0 and q = 0) *)
Ltac name_quotients :=
  repeat match goal with
  | |- context [?a / ?d] =>
      lazymatch d with IZR _ => fail | _ =>
      let q := fresh "q" in
      destruct (division_cases a d) as [[? ?] | [? ?]]; set (q := a / d) in *; clearbody q end
  | H : context [?a / ?d] |- _ =>
      lazymatch d with IZR _ => fail | _ =>
      let q := fresh "q" in
      destruct (division_cases a d) as [[? ?] | [? ?]]; set (q := a / d) in *; clearbody q end
  end.

(* repeated: pushing IZR through a product can uncover a sum beneath it *)
Ltac push_IZR := repeat (rewrite plus_IZR in * || rewrite minus_IZR in * || rewrite mult_IZR in * || rewrite opp_IZR in *).

(* every integer (in)equality among the hypotheses, also stated between reals *)
Ltac integers_as_reals :=
  repeat match goal with
  | H : (?a <= ?b)%Z |- _ => apply IZR_le in H
  | H : (?a < ?b)%Z |- _ => apply IZR_lt in H
  | H : (?a >= ?b)%Z |- _ => apply Z.ge_le in H
  | H : (?a > ?b)%Z |- _ => apply Z.gt_lt in H
  | H : (?a = ?b)%Z |- _ => apply (f_equal IZR) in H
  | H : ~ (?a = ?b)%Z |- _ => apply (fun h e => h (eq_IZR _ _ e)) in H
  end; push_IZR.

(* a proposition that is a variable, or a variable applied to arguments (a Boolean of z3) *)
Ltac prop_atom P :=
  lazymatch type of P with Prop =>
    lazymatch P with
    | ?f _ _ _ => is_var f
    | ?f _ _ => is_var f
    | ?f _ => is_var f
    | _ => is_var P
    end
  end.

Lemma prop_true : forall P : Prop, P -> (P <-> True). Proof. tauto. Qed.
Lemma prop_false : forall P : Prop, ~ P -> (P <-> False). Proof. tauto. Qed.

(* split on each such proposition (excluded middle: z3's Booleans are two-valued), and rewrite it to
   True or False everywhere, so that lia and lra see only arithmetic *)
Ltac case_prop P :=
  let H := fresh "HP" in
  destruct (Classical_Prop.classic P) as [H | H];
  [apply prop_true in H | apply prop_false in H]; rewrite H in *; clear H.

Ltac case_props :=
  repeat match goal with
  | |- context [?P] => prop_atom P; case_prop P
  | H : context [?P] |- _ => prop_atom P; case_prop P
  end.

(* Ackermann's reduction, z3's congruence: f a = f b whenever a = b, for the integer arguments of
   a function variable f met in the goal (as reals, IZR a = IZR b, for a real-valued f) *)
Ltac ack f a b :=
  lazymatch goal with
  | _ : a = b -> f a = f b |- _ => fail
  | _ : b = a -> f b = f a |- _ => fail
  | _ : IZR a = IZR b -> f a = f b |- _ => fail
  | _ : IZR b = IZR a -> f b = f a |- _ => fail
  | _ => lazymatch type of (f a) with
         | R => pose proof (fun e : IZR a = IZR b => f_equal f (eq_IZR a b e))
         | _ => pose proof (fun e : a = b => f_equal f e)
         end
  end.

Ltac ackermann :=
  repeat match goal with
  | |- context [?f ?a] => is_var f; lazymatch type of a with Z => idtac end;
       match goal with
       | |- context [f ?b] => assert_fails (constr_eq a b); ack f a b
       | _ : context [f ?b] |- _ => assert_fails (constr_eq a b); ack f a b
       end
  | _ : context [?f ?a] |- _ => is_var f; lazymatch type of a with Z => idtac end;
       match goal with
       | _ : context [f ?b] |- _ => assert_fails (constr_eq a b); ack f a b
       end
  end.

(* (a - b)^2 >= 0 and (a + b)^2 >= 0 for each product a * b: the certificates nra cannot find alone *)
Ltac square_products :=
  repeat match goal with
  | |- context [?a * ?b] =>
      lazymatch goal with _ : 0 <= Rsqr (a - b) |- _ => fail | _ =>
        pose proof (Rle_0_sqr (a - b)); pose proof (Rle_0_sqr (a + b)) end
  | _ : context [?a * ?b] |- _ =>
      lazymatch goal with _ : 0 <= Rsqr (a - b) |- _ => fail | _ =>
        pose proof (Rle_0_sqr (a - b)); pose proof (Rle_0_sqr (a + b)) end
  end; unfold Rsqr in *.

(* a premise that is an implication (a fact drawn on with q.use: where -> holds) is used once its
   antecedent follows from the context by assumption, lia or lra *)
Ltac side_condition := repeat split; try lra; try (repeat apply Rmult_le_pos; lra); try nra.
Ltac use_premises :=
  repeat match goal with
  | H : ?A -> ?B |- _ =>
      lazymatch type of A with Prop => idtac end;
      let HA := fresh "HA" in
      assert (HA : A) by (first [assumption | lia | side_condition]); specialize (H HA); clear HA
  end;
  repeat match goal with H : _ /\ _ |- _ => destruct H end.

Ltac prepare := intros; rewrite ?ite_True, ?ite_False in *; split_ites; try contradiction; name_quotients;
  use_premises.
"""
