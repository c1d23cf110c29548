"""The learning gate keeps the champion and says why: a training job's result carries each
direction's decision (code and parameters), and the job page, the /model page and the metrics
page's "Matching model" section word it in the reader's language
(webapp/catalogue/model_decisions.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from matcher import gate
from models import Introduction, Profile, db
from models.introductions import pair_key
from tests.ui.helpers import text_of
from tests.webapp.test_catalogue import read_catalog, untranslated
from webapp.catalogue.model_decisions import MESSAGES, describe_decision
from webapp.services import background, demo_seed

KEPT_72 = {
    "en": "Kept the active weights: 72 held-out outcomes, 200 needed.",
    "es": "Se conservaron los pesos activos: 72 resultados reservados para la evaluación; se "
          "necesitan 200.",
    "fr": "Les poids actifs ont été conservés : 72 résultats mis de côté pour l’évaluation, "
          "200 requis.",
}
MENTORSHIP = {"en": "Mentorship (mentors’ answers to SMEs)",
              "es": "Mentoría (respuestas de los mentores a las pymes)",
              "fr": "Mentorat (réponses des mentors aux PME)"}
# What the pages showed before: codes, parameter names, Python values, flattened key paths,
# and the matcher's English note.
RAW = ("too_few_outcomes", "minimum_each", "False", "True", "· decision", "mentorship",
       "needs 50 outcomes")


@pytest.fixture
def no_queue(app):
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)
    return app


def labelled_mentorships(n: int) -> int:
    """Store ``n`` closed SME→mentor introductions, one in three accepted; return how many
    were accepted."""
    demo_seed.seed_profiles(smes=24, mentors=12, buyers=0, seed=3)
    smes = list(db.session.scalars(db.select(Profile).where(Profile.kind == "sme")
                                   .order_by(Profile.id)))
    mentors = list(db.session.scalars(db.select(Profile).where(Profile.kind == "mentor")
                                      .order_by(Profile.id)))
    for i in range(n):
        sme, mentor = smes[i % len(smes)], mentors[(i * 5 + i // len(smes)) % len(mentors)]
        accepted = i % 3 == 0
        db.session.add(Introduction(
            kind="sme_mentor", requester_id=sme.id, target_id=mentor.id,
            pair_key=pair_key(sme.id, mentor.id), state="completed" if accepted else "declined",
            decline_reason_code=None if accepted else "not_a_fit"))
    db.session.commit()
    return len(range(0, n, 3))


def train_as_job(client, headers) -> dict:
    """Start training through the API, run the job, return the finished job."""
    started = client.post("/api/v1/models/train", headers=headers)
    assert started.status_code == 202
    assert background.run_queued() == 1
    job = client.get(started.headers["Location"], headers=headers).get_json()
    assert job["status"] == "finished", job
    return job


def model_section(html: str) -> str:
    return html.split('<section class="metrics" id="model">')[1].split("</section>")[0]


# -- the job's result ------------------------------------------------------------------------


def test_a_finished_training_job_says_why_the_active_weights_were_kept(no_queue, client,
                                                                      as_role):
    accepted = labelled_mentorships(72)
    _, coordinator = as_role("coordinator")
    result = train_as_job(client, coordinator)["result"]
    assert result["promoted"] == []
    assert result["decisions"] == {"mentorship": {
        "promoted": False, "code": "too_few_outcomes", "assessed": True,
        "params": {"n": 72, "accepted": accepted, "minimum": 200, "minimum_each": 20}}}


@pytest.mark.parametrize("locale", ["en", "es", "fr"])
def test_the_job_page_and_the_model_page_word_the_decision(no_queue, client, signed_in,
                                                           as_role, locale):
    labelled_mentorships(72)
    job = train_as_job(client, as_role("coordinator")[1])
    signed_in("coordinator", locale=locale)
    for url in (f"/jobs/{job['id']}", "/model"):
        page = text_of(client.get(url).get_data(as_text=True))
        assert KEPT_72[locale] in page, url
        assert MENTORSHIP[locale] in page, url
        assert not any(raw in page for raw in RAW), url
    if locale != "en":
        assert "Kept the active weights" not in page


def test_without_labelled_outcomes_the_job_page_says_nothing_was_learned(no_queue, client,
                                                                         signed_in, as_role):
    job = train_as_job(client, as_role("coordinator")[1])
    assert job["result"]["decisions"] == {}
    signed_in("coordinator")
    page = text_of(client.get(f"/jobs/{job['id']}", headers={"Accept-Language": "en"})
                   .get_data(as_text=True))
    assert "No labelled outcomes yet: nothing was learned, the active weights were kept." in page


# -- the metrics page's "Matching model" section ---------------------------------------------


def test_the_metrics_page_shows_the_model_in_the_readers_language(no_queue, client, signed_in,
                                                                  as_role):
    labelled_mentorships(72)
    train_as_job(client, as_role("coordinator")[1])
    signed_in("coordinator", locale="fr")
    section = model_section(client.get("/dashboard/metrics").get_data(as_text=True))
    text = text_of(section)
    assert MENTORSHIP["fr"] in text and KEPT_72["fr"] in text
    assert "Poids appris adoptés Non" in text
    rows = dict(re.findall(r'(?s)<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', section))
    assert rows["Résultats utilisés pour l’apprentissage"] == "72"
    for label in ("AUC à l’évaluation, poids actifs", "AUC à l’évaluation, poids appris",
                  "NDCG@5 à l’évaluation, poids actifs", "NDCG@5 à l’évaluation, poids appris"):
        assert re.fullmatch(r"[01],\d{3}|–", rows[label]), (label, rows[label])  # 0,707
    assert not any(raw in text for raw in RAW), text


def test_too_few_outcomes_to_try_anything_is_worded_not_copied_from_the_matcher(
        no_queue, client, signed_in, as_role):
    labelled_mentorships(30)
    train_as_job(client, as_role("coordinator")[1])
    signed_in("coordinator", locale="es")
    text = text_of(model_section(client.get("/dashboard/metrics").get_data(as_text=True)))
    assert ("No se probaron pesos aprendidos ni se recalibraron los activos: hacen falta al "
            "menos 50 resultados, aceptados y rechazados.") in text
    assert "30 resultados reservados para la evaluación; se necesitan 200." in text
    assert not any(raw in text for raw in RAW), text


# -- every decision the gate can give is worded ----------------------------------------------


def gate_decisions() -> list[dict]:
    """Return one decision of each kind the gate gives, made by the gate itself."""
    def comparison(auc: float, auc_se: float, ndcg: float, ndcg_se: float) -> dict:
        return {"roc_auc": {"difference": auc, "se": auc_se},
                "ndcg@5": {"difference": ndcg, "se": ndcg_se}}
    enough = np.r_[np.ones(100, int), np.zeros(150, int)]
    return [gate.decide({}, np.r_[np.ones(30, int), np.zeros(42, int)]),
            gate.decide({}, np.r_[np.ones(10, int), np.zeros(240, int)]),
            gate.decide({}, np.r_[np.ones(240, int), np.zeros(10, int)]),
            gate.decide(comparison(0.004, 0.001, 0.0, 0.01), enough),
            gate.decide(comparison(0.02, 0.01, 0.0, 0.01), enough),
            gate.decide(comparison(0.05, 0.01, -0.2, 0.01), enough),
            gate.decide(comparison(0.05, 0.01, 0.01, 0.01), enough)]


def test_the_gate_gives_these_codes_and_each_has_words():
    decisions = gate_decisions()
    assert {d["code"] for d in decisions} == set(gate._DESCRIPTIONS) == {
        "too_few_outcomes", "auc_gain_too_small", "auc_gain_within_noise", "ndcg_worse",
        "beats_champion"}
    for locale in ("en", "es", "fr"):
        texts = [describe_decision(d, locale) for d in decisions]
        assert len(set(texts)) == len(texts)  # the three shortfalls read differently
        assert not any(d["code"] in t or "%(" in t for d, t in zip(decisions, texts,
                                                                   strict=True))


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["Kept the active weights: 72 held-out outcomes, 200 needed.",
            "Kept the active weights: only 10 of 250 held-out outcomes were accepted, 20 "
            "needed.",
            "Kept the active weights: only 10 of 250 held-out outcomes were declined, 20 "
            "needed.",
            "Kept the active weights: the learned weights’ AUC gain, +0.004, is below the "
            "minimum of 0.010.",
            "Kept the active weights: the learned weights’ AUC gain, +0.020, is within the "
            "noise margin of 0.035.",
            "Kept the active weights: the learned weights’ NDCG@5 is worse by 0.200, beyond "
            "the noise margin of 0.035.",
            "Promoted the learned weights: their AUC gain, +0.050, exceeds the noise margin of "
            "0.035."]),
    ("fr", ["Les poids actifs ont été conservés : 72 résultats mis de côté pour l’évaluation, "
            "200 requis.",
            "Les poids actifs ont été conservés : seuls 10 des 250 résultats mis de côté pour "
            "l’évaluation ont été acceptés, 20 requis.",
            "Les poids actifs ont été conservés : seuls 10 des 250 résultats mis de côté pour "
            "l’évaluation ont été refusés, 20 requis.",
            "Les poids actifs ont été conservés : le gain d’AUC des poids appris, +0,004, est "
            "inférieur au minimum de 0,010.",
            "Les poids actifs ont été conservés : le gain d’AUC des poids appris, +0,020, "
            "reste dans la marge de bruit de 0,035.",
            "Les poids actifs ont été conservés : le NDCG@5 des poids appris est inférieur de "
            "0,200, au-delà de la marge de bruit de 0,035.",
            "Les poids appris ont été adoptés : leur gain d’AUC, +0,050, dépasse la marge de "
            "bruit de 0,035."]),
])
def test_each_decision_reads_from_its_code_and_parameters(locale, expected):
    assert gate.Z == 3.5  # the margins above: 3.5 standard errors of 0.01
    decisions = [{**d, "assessed": False} for d in gate_decisions()]
    texts = [describe_decision(d, locale) for d in decisions]
    for text, sentence in zip(texts, expected, strict=True):
        assert text.startswith(sentence), text


def test_one_held_out_outcome_is_singular():
    decision = {"promoted": False, "code": "too_few_outcomes", "assessed": True,
                "params": {"n": 1, "accepted": 1, "minimum": 200, "minimum_each": 20}}
    assert describe_decision(decision, "en").startswith(
        "Kept the active weights: 1 held-out outcome, 200 needed.")


@pytest.mark.parametrize("locale", ["es", "fr"])
def test_every_decision_message_is_translated_with_its_placeholders(locale):
    assert untranslated(read_catalog(locale), MESSAGES) == []
