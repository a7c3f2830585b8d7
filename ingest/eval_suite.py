"""`briefgraph eval`: validation and test figures for extraction, each for the rules alone and for the rules
with the event-type classifier, from one command.

* Validation: NGEC's VOA holdout quotes (the classifier's regulariser and threshold were chosen on them).
* Test: the PLOVER gold sentences. Nothing was trained, tuned or thresholded on them; the classifier's training
  command reads them only to drop near-duplicate training texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.registry import ActorRegistry
from ingest.evaluate import EvalReport, evaluate, read_gold
from ingest.validation import ValidationReport, validate_file

DEFAULT_TEST = Path("../shared/gold/plover_gsr_dev.jsonl")
DEFAULT_VALIDATION = Path("../shared/training/ngec_voa_quotes/holdout_verify.jsonl")


@dataclass(frozen=True)
class EvalSuite:
    validation: ValidationReport | None
    test_rules: EvalReport | None
    test_system: EvalReport | None

    def render(self) -> str:
        parts = []
        if self.validation is not None:
            parts.append(self.validation.render())
        if self.test_rules is not None and self.test_system is not None:
            parts.append(render_test(self.test_rules, self.test_system))
        return "\n\n".join(parts) if parts else "nothing to evaluate: no validation or test file found"


def render_test(rules: EvalReport, system: EvalReport) -> str:
    rows = [
        ("event type (PLOVER reading)", rules.type_accuracy, system.type_accuracy),
        ("coverage", rules.coverage, system.coverage),
        ("actor F1 (by code)", rules.actors.f1, system.actors.f1),
        ("direction", rules.direction_accuracy, system.direction_accuracy),
        ("sentences/s", rules.sentences_per_second, system.sentences_per_second),
    ]
    lines = [
        f"TEST: PLOVER gold ({system.sentences} sentences): {system.path}",
        "  (never trained, tuned or thresholded on; rules-only is the baseline)",
        "                                 rules only  rules + classifier",
        *(f"  {name:<30} {a:10.3f}  {b:18.3f}" for name, a, b in rows),
        "",
        "rules + classifier, in detail:",
        system.render(),
    ]
    return "\n".join(lines)


def run_suite(test: Path | None, validation: Path | None, limit: int | None = None) -> EvalSuite:
    """Build the extractor twice (rules only; rules + classifier) over one spaCy pipeline and score both."""
    from ingest.extraction import Extractor, load_nlp
    from ingest.extraction.classify import load_type_classifier

    registry = ActorRegistry.load()
    nlp = load_nlp()
    classifier = load_type_classifier()
    rules = Extractor(registry, nlp)
    system = Extractor(registry, nlp, types=classifier)
    validation_report = (
        validate_file(validation, rules, system, classifier, registry, limit)
        if validation is not None and validation.is_file()
        else None
    )
    test_rules = test_system = None
    if test is not None and test.is_file():
        records, skipped = read_gold(test, limit)
        test_rules, test_system = evaluate(records, rules, registry), evaluate(records, system, registry)
        for report in (test_rules, test_system):
            report.path, report.skipped = str(test), skipped
    return EvalSuite(validation_report, test_rules, test_system)
