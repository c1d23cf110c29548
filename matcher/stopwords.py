"""Accent-free words of English, Spanish and French that the text factor leaves out.

:data:`STOP_WORDS` carry no meaning at all. :data:`GENERIC_WORDS` carry none about *this*
business ("business", "empresa", "certification", "market"): a reason never quotes them ("Both
profiles mention “business”" explains nothing), so they must not move the text score either,
or a match could owe its largest contribution to words no reason shows. Both are dropped
before stemming (:data:`IGNORED_WORDS`); a specific word sharing a generic one's stem
("marketing", stem ``marke`` like "market") still counts and is quoted as written.
"""

__all__ = ["GENERIC_WORDS", "IGNORED_WORDS", "STOP_WORDS"]

_ENGLISH = """
a about after all also an and any are as at be been but by can do does for from had has have
he her his how i if in into is it its me more most my no not of on or our ours out over she so
some such than that the their them then there these they this those through to too under up us
very was we were what when where which while who will with would you your
"""

_SPANISH = """
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e
el ella ellas ellos en entre era es esa ese eso esta estan este esto estos fue fui ha hay la las le
les lo los mas me mi mis muy ni no nos nosotros nuestra nuestras nuestro nuestros o para pero
por que quien se ser si sin sobre son su sus tambien tiene tienen todo todos tu un una uno unos
usted y ya
"""

_FRENCH = """
a afin au aussi aux avec avoir ce ces cet cette comme dans de des du elle elles en est et etre
eux il ils je la le les leur leurs lui ma mais me mes moi mon ne nos notre nous on ou par pas
plus pour qu que qui sa sans se ses son sont sur ta te tes toi ton tous tout tres tu un une vos
votre vous y
"""

STOP_WORDS: frozenset[str] = frozenset((_ENGLISH + _SPANISH + _FRENCH).split())

# Words that would score (IDF keeps them when a corpus is small) but say nothing as a reason:
# "Both profiles mention “business”". Accent-free, whole words (not stems): the verbs "help",
# "support" and "work" in the forms a profile writes them ("ayudo", "trabajé", "aidons").
_GENERIC = """
across business businesses company companies firm help helping helps helped industry market
markets product products service services solution solutions support supporting supported
supports working work worked works years experience certification certifications certified
empresa empresas negocio negocios industria mercado mercados producto productos servicio
servicios apoyo apoyamos apoyar ayuda ayudar ayudo ayudamos anos experiencia trabajo trabaje
trabajamos trabajar certificacion certificaciones
entreprise entreprises affaires industrie marche marches produit produits service aide aider
aidons ans experience travail travaille travaillons soutien certificat certification
"""

GENERIC_WORDS: frozenset[str] = frozenset(_GENERIC.split())

IGNORED_WORDS: frozenset[str] = STOP_WORDS | GENERIC_WORDS
"""Every word the text factor drops: it neither scores nor is quoted."""
