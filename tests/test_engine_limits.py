"""The engine's limits on pathological abstracts: evidence of a very long sentence is a window around the
number, and a paper over its matching or context budget is reported as a RuleTimeout."""
import pytest

from extract.match import engine
from extract.match.engine import RuleTimeout
from extract.records import Paper
from extract.run import batch
from extract.run.batch import extract_paper

FILLER = "the model is trained on many tasks and we report what we find there "


def test_evidence_of_a_normal_sentence_is_the_sentence():
    text = "We study models. Our method runs 2.5x faster than the baseline. It is simple."
    (c,) = extract_paper(Paper(id="p", title="", abstract=text))
    assert c.evidence == "Our method runs 2.5x faster than the baseline."


@pytest.mark.parametrize("before, after", [(3000, 3000), (10, 5000), (5000, 10)])
def test_evidence_of_a_very_long_sentence_is_a_window_of_whole_words(before, after):
    text = (FILLER * (before // len(FILLER) + 1))[:before] + " it runs 2.5x faster than the baseline " \
        + (FILLER * (after // len(FILLER) + 1))[:after]
    (c,) = extract_paper(Paper(id="p", title="", abstract=text))
    assert c.value_text == "2.5x" and c.value_text in c.evidence
    assert len(c.evidence) <= 2 * engine.EVIDENCE_WINDOW + len(c.value_text)
    at = text.index(c.evidence)
    assert at <= c.start and c.end <= at + len(c.evidence)
    # cut at spaces: the window neither starts nor ends inside a word
    assert at == 0 or text[at - 1].isspace()
    end = at + len(c.evidence)
    assert end == len(text) or text[end].isspace()


def test_a_paper_over_its_rule_budget_is_a_rule_timeout_saying_so(monkeypatch):
    monkeypatch.setattr(engine, "PAPER_BUDGET", 0.0)
    with pytest.raises(RuleTimeout, match=r"rules took over 0 s on paper 'slow'"):
        extract_paper(Paper(id="slow", title="", abstract="It runs 2.5x faster than the baseline."))


def test_context_past_its_deadline_stops():
    from extract.context import attach as context
    from extract.match.text import sentence_spans

    paper = Paper(id="p", title="", abstract="It runs 2.5x faster than the baseline and 3x faster than X.")
    claims = extract_paper(paper)
    assert len(claims) == 2
    with pytest.raises(TimeoutError, match="after 0 of 2 claims"):
        context.attach(paper, claims, sentence_spans(paper.abstract), deadline=0.0)


def test_a_paper_whose_context_runs_over_budget_is_a_rule_timeout_saying_so(monkeypatch):
    # thousands of numbers in one sentence make context work grow with the claim count: the paper is
    # reported (RuleTimeout -> errors.jsonl) instead of hanging the run
    def slow(paper, claims, sentences, deadline=None):
        raise TimeoutError("context took over its budget after 1 of 2 claims")

    monkeypatch.setattr(batch, "attach", slow)
    with pytest.raises(RuleTimeout, match=r"context took over .* on paper 'many'.*2 claims"):
        extract_paper(Paper(id="many", title="", abstract="It runs 2.5x faster and 3x faster."))


def test_a_huge_abstract_full_of_numbers_stops_at_its_budget(monkeypatch):
    monkeypatch.setattr(engine, "PAPER_BUDGET", 0.05)
    with pytest.raises(RuleTimeout, match=r"rules took over 0.05 s on paper 'huge'"):
        extract_paper(Paper(id="huge", title="", abstract="Accuracy rises by 12%. " * 50_000))
