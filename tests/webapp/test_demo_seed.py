"""Demo data honours the API contract and loads in bulk with facets and change-log rows."""

from models import fields_of
from tests.factories import row_counts
from webapp.demo.generator import generate_profiles
from webapp.schemas.profiles import PROFILE_SCHEMAS
from webapp.services import demo_seed


def test_generated_profiles_pass_the_api_validation():
    for item in generate_profiles(smes=150, mentors=50, buyers=50, seed=3):
        data = {name: item[name] for name in fields_of(item["kind"]) if name in item}
        errors = PROFILE_SCHEMAS[item["kind"]]().validate(data)
        assert errors == {}, (item["name"], errors)


def test_seed_writes_profiles_facets_and_changes(app):
    report = demo_seed.seed_profiles(smes=40, mentors=10, buyers=10, seed=1, batch_size=25)
    counts = row_counts()
    assert report.profiles == counts["profiles"] == counts["profile_changes"] == 60
    assert counts["profile_facets"] > 60 * 4  # sector prefixes, languages, needs, markets
