"""Accent-free stop words of English, Spanish and French for the text factor.

Short on purpose: only words that carry no meaning about a business. Inverse document frequency
takes care of the merely common ones ("company", "empresa", "entreprise").
"""

__all__ = ["GENERIC_WORDS", "STOP_WORDS"]

_ENGLISH = """
a about after all also an and any are as at be been but by can do does for from had has have
he her his how i if in into is it its me more most my no not of on or our ours out over she so
some such than that the their them then there these they this those through to too under up us
very was we were what when where which while who will with would you your
"""

_SPANISH = """
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e
el ella ellas ellos en entre era es esa ese eso esta estan este esto estos fue ha hay la las le
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

# Words that do score (IDF keeps them when a corpus is small) but say nothing as a reason:
# "Both profiles mention “business”". Accent-free; a reason never shows their stems.
_GENERIC = """
across business businesses company companies firm help helping industry market markets
product products service services solution solutions support working work years experience
certification certifications certified
empresa empresas negocio negocios industria mercado mercados producto productos servicio
servicios apoyo ayuda ayudar anos experiencia trabajo certificacion certificaciones
entreprise entreprises affaires industrie marche marches produit produits service aide aider
ans experience travail certificat certification
"""

GENERIC_WORDS: frozenset[str] = frozenset(_GENERIC.split())
