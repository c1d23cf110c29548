"""Accent-free words of English, Spanish and French that the text factor leaves out.

:data:`STOP_WORDS` carry no meaning at all. :data:`GENERIC_WORDS` carry none about *this*
business ("business", "empresa", "certification", "market"): a reason never quotes them ("Both
profiles mention “business”" explains nothing), so they must not move the text score either,
or a match could owe its largest contribution to words no reason shows. Both are dropped
before stemming (:data:`IGNORED_WORDS`); a specific word sharing a generic one's stem
("marketing", stem ``marke`` like "market"; "regulatory", stem ``regul`` like "regularly")
still counts and is quoted as written.

Generic too are the words a profile writes around where it is and how often it exports ("based
in…", "regularly across North America"): in a program for the three USMCA countries the region,
the countries and the words that build place names ("San", "Ciudad", "Saint", "New") say
nothing about the business, and where a profile is has its own factor. The distinctive part of
a city's name is not listed: a gazetteer would drop product words ("Tequila", "Tabasco",
"Oaxaca" cheese, "Windsor" chairs, Spanish "mesa", table).

Changing these words changes the text columns of a stored candidate index: bump
:data:`matcher.index_store.INDEX_FORMAT`, so one saved before is refused and rebuilt. A stored
bundle needs nothing: its vocabulary keeps the dropped stems as columns no text reaches.
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

# Where a profile is and how often it trades: its location, country and markets have factors
# of their own. Whole words: "regulatory", "regulaciones", "réglementation" (stem ``regul``
# or ``regle``) and Spanish "equipo" (equipment as well as team) still count; French "basé"
# folds to "base", an English noun, and is left in. "Américain(e)" is listed but not
# "americano": a coffee, and Spanish "americana" is a jacket.
_WHERE_AND_HOW_OFTEN = """
based basada basadas basado basados basee basees located headquartered ubicada
ubicadas ubicado ubicados situada situado sede situe situee situes situees etabli etablie
etablies etablis
regular regularly regularidad regularmente regulares regulier reguliere regulieres reguliers
regulierement occasionally ocasional ocasionalmente occasionnellement
north south east west norte oeste nord sud ouest
america americas american americans norteamerica norteamericano norteamericana
norteamericanos norteamericanas amerique ameriques americain americaine americains
americaines mexico mexique canada usa eeuu unidos unis united
abroad extranjero etranger interieur
city cities ciudad ville san santa santo saint sainte heroica rio heights new nuevo nueva
nuevos nuevas nouveau nouvelle nouveaux nouvelles
team equipe people person persona personas personne personnes employees empleados employes
specialize specializes specializing specialized specialise specialises specialising
specialist specialists especialista especialistas especializada especializadas especializado
especializados especializamos specialisee specialisees specialiste specialistes
looking seeking busca buscamos buscando cherchons
"""

GENERIC_WORDS: frozenset[str] = frozenset((_GENERIC + _WHERE_AND_HOW_OFTEN).split())

IGNORED_WORDS: frozenset[str] = STOP_WORDS | GENERIC_WORDS
"""Every word the text factor drops: it neither scores nor is quoted."""
