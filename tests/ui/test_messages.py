"""The shared validation rules' messages, translated for pages (webapp/ui/messages.py)."""

from __future__ import annotations

import marshmallow as ma
import pytest
from flask_babel import force_locale
from marshmallow import ValidationError

from webapp.schemas.profiles import PROFILE_SCHEMAS
from webapp.ui.messages import translate_message

BAD_INPUT = {
    "sme": {"name": "", "country": "BR", "subdivision": "US-TX", "city": "x" * 121,
            "sectors": ["999999", "x" * 41], "languages": ["zz"], "markets": ["QQ"],
            "contact_email": "bad", "contact_phone": "abc", "employees": "x", "needs": ["nope"],
            "certifications": [f"c{i}" for i in range(31)], "ownership": ["x"],
            "description": "x" * 5001},
    "mentor": {"capacity": "x", "mode": "y", "name": None, "languages": []},
    "buyer": {"capacity_": 1, "volume": "huge", "sectors": [], "sourcing_countries": ["XX"]},
}


def messages_of(kind: str) -> list[tuple[str, bool]]:
    """Return the schema's messages for bad input, each with whether its field is a list."""
    schema = PROFILE_SCHEMAS[kind]()
    with pytest.raises(ValidationError) as caught:
        schema.load(BAD_INPUT[kind])
    found = []
    for field, msgs in caught.value.normalized_messages().items():
        items = msgs.values() if isinstance(msgs, dict) else [msgs]
        is_list = isinstance(schema.fields.get(field), ma.fields.List)
        found += [(m, is_list) for item in items for m in item]
    return found


@pytest.mark.parametrize("kind", sorted(BAD_INPUT))
@pytest.mark.parametrize("lang", ["es", "fr"])
def test_every_schema_message_for_bad_input_is_translated(app, kind, lang):
    with app.test_request_context(), force_locale(lang):
        untranslated = [m for m, is_list in messages_of(kind)
                        if m != "Unknown field." and translate_message(m, is_list) == m]
    assert untranslated == []


@pytest.mark.parametrize("message, is_list, expected", [
    ("Missing data for required field.", False, "Este campo es obligatorio."),
    ("Give at least 1.", True, "Elija al menos uno."),
    ("Longer than maximum length 30.", True, "Elija como máximo 30 elementos."),
    ("Longer than maximum length 5000.", False, "Use como máximo 5000 caracteres."),
    ("Length must be between 1 and 200.", False, "Use como máximo 200 caracteres."),
    ("Unknown NAICS 2022 code: 1, 2.", True, "Código SCIAN/NAICS 2022 desconocido: 1, 2."),
    ("No city called 'Atlantis' in MX-CHH; check the spelling or give latitude and longitude.",
     False, "No conocemos ninguna ciudad o localidad llamada «Atlantis» en Chihuahua: revise "
            "la ortografía o elija la ciudad más grande cercana."),
    ("Contains a NUL character (\\x00), which is not allowed.", False,
     "Este valor no es válido."),
    ("A message no rule knows.", False, "A message no rule knows."),
])
def test_messages_in_spanish(app, message, is_list, expected):
    with app.test_request_context(), force_locale("es"):
        assert translate_message(message, is_list) == expected
