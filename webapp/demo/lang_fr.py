"""French (Canada) words for demo profiles."""

from webapp.demo.bank import LanguageBank, NeedWords, SectorWords

BANK = LanguageBank(
    conjunction="et",
    sme_article="des ",
    buyer_article="de ",
    sectors={
        "automotive": SectorWords(
            "fabrication de pièces automobiles", "Nous fabriquons", "Pièces Auto",
            ("composants de freinage", "faisceaux électriques", "armatures de sièges",
             "pièces métalliques embouties", "composants de direction",
             "garnitures intérieures en plastique", "engrenages de transmission",
             "pièces moulées en aluminium"),
        ),
        "agrifood": SectorWords(
            "production agroalimentaire", "Nous cultivons, transformons et emballons",
            "Aliments",
            ("avocats frais", "petits fruits", "tomates de serre", "poivrons",
             "cafés torréfiés", "salsas artisanales", "produits de l'érable",
             "légumes surgelés"),
        ),
        "electronics": SectorWords(
            "fabrication électronique", "Nous fabriquons", "Électronique",
            ("assemblages de cartes électroniques", "capteurs électroniques",
             "blocs d'alimentation", "connecteurs", "assemblages de câbles",
             "cartes de contrôle industriel", "modules d'éclairage DEL"),
        ),
        "medical": SectorWords(
            "fabrication de dispositifs médicaux", "Nous fabriquons", "Médical",
            ("instruments chirurgicaux", "cathéters", "implants orthopédiques",
             "fournitures médicales jetables", "équipements dentaires",
             "trousses de diagnostic", "orthèses"),
        ),
        "apparel": SectorWords(
            "vêtement et textile", "Nous concevons et cousons", "Vêtements",
            ("jeans en denim", "uniformes de travail", "chandails en tricot", "bottes en cuir",
             "blouses brodées", "vêtements de sport", "manteaux techniques"),
        ),
        "logistics": SectorWords(
            "transport et logistique", "Nous offrons", "Transport",
            ("services de camionnage transfrontalier", "services de transport réfrigéré",
             "entrepôts sous douane", "services d'expédition de fret",
             "solutions de livraison du dernier kilomètre", "services de transbordement"),
        ),
        "aerospace": SectorWords(
            "fabrication aérospatiale", "Nous fabriquons", "Aérospatiale",
            ("composants aéronautiques usinés", "panneaux composites",
             "pièces de train d'atterrissage", "aubes de turbine",
             "faisceaux de câbles aéronautiques", "pièces d'aménagement de cabine"),
        ),
        "machinery": SectorWords(
            "usinage et équipement industriel", "Nous fabriquons", "Usinage",
            ("pièces usinées CNC", "matrices et moules industriels", "équipements agricoles",
             "systèmes de convoyeurs", "structures d'acier soudées",
             "équipements de réfrigération"),
        ),
        "plastics": SectorWords(
            "plastiques et produits chimiques", "Nous produisons", "Plastiques",
            ("pièces en plastique injecté", "emballages en plastique", "boyaux industriels",
             "produits nettoyants", "cosmétiques naturels", "revêtements industriels"),
        ),
        "furniture": SectorWords(
            "meubles et produits du bois", "Nous fabriquons", "Meubles",
            ("meubles en bois massif", "meubles de bureau", "armoires de cuisine",
             "palettes de bois", "planchers de bois franc"),
        ),
        "crafts": SectorWords(
            "artisanat et biens de consommation", "Nous fabriquons à la main", "Artisanat",
            ("céramiques artisanales", "bijoux en argent", "textiles tissés à la main",
             "jouets en bois", "articles de verre soufflé", "bougies décoratives"),
        ),
        "software": SectorWords(
            "logiciels et services TI", "Nous développons", "Logiciels",
            ("logiciels de gestion des stocks", "plateformes de commerce électronique",
             "applications mobiles", "services d'hébergement infonuagique",
             "services de cybersécurité", "tableaux de bord analytiques"),
        ),
        "energy": SectorWords(
            "énergie propre", "Nous offrons", "Énergie",
            ("installations de panneaux solaires", "composants d'éoliennes",
             "moteurs électriques", "audits d'efficacité énergétique",
             "systèmes de stockage par batteries"),
        ),
    },
    needs={
        "export_regulations": NeedWords(
            ("Nous avons besoin de conseils sur les formalités douanières, le classement "
             "tarifaire et les permis d'exportation.",
             "Nous voulons comprendre la réglementation d'exportation et les procédures "
             "douanières pour nos produits."),
            "les procédures douanières et la conformité à l'exportation",
        ),
        "rules_of_origin": NeedWords(
            ("Nous avons besoin d'aide pour prouver les règles d'origine de l'ACEUM et préparer "
             "les certificats d'origine.",
             "Nous voulons savoir si nos produits sont admissibles aux tarifs préférentiels de "
             "l'ACEUM."),
            "les règles d'origine de l'ACEUM et les certificats d'origine",
        ),
        "financing": NeedWords(
            ("Nous cherchons du financement, du fonds de roulement et une assurance-crédit à "
             "l'exportation.",
             "Nous avons besoin d'accès au capital pour acheter des équipements et financer de "
             "plus grosses commandes."),
            "le financement à l'exportation et l'accès au capital",
        ),
        "logistics": NeedWords(
            ("Nous avons besoin de partenaires logistiques fiables pour le transport "
             "transfrontalier et l'entreposage.",
             "Nous voulons réduire les coûts de transport et les délais au passage de la "
             "frontière."),
            "la logistique transfrontalière et le transport de marchandises",
        ),
        "ecommerce": NeedWords(
            ("Nous voulons vendre en ligne sur les places de marché et dans notre propre "
             "boutique en ligne.",
             "Nous avons besoin d'aide avec le marketing numérique, les paiements en ligne et "
             "les outils de commerce électronique."),
            "le commerce électronique et le marketing numérique",
        ),
        "certification": NeedWords(
            ("Nous devons obtenir les certifications de qualité exigées par nos clients.",
             "Nous nous préparons à un audit de normes de qualité et à la certification."),
            "la certification qualité et les normes internationales",
        ),
        "market_entry": NeedWords(
            ("Nous avons besoin d'une étude de marché et d'une stratégie de mise en marché pour "
             "trouver des distributeurs.",
             "Nous cherchons des acheteurs, des distributeurs et des salons professionnels dans "
             "de nouveaux marchés."),
            "les études de marché et la recherche de distributeurs",
        ),
        "legal_tax": NeedWords(
            ("Nous avons besoin de conseils sur les contrats, la fiscalité et la création d'une "
             "entreprise à l'étranger.",
             "Nous voulons comprendre les taxes, la facturation et les exigences juridiques du "
             "commerce transfrontalier."),
            "les contrats internationaux et la fiscalité transfrontalière",
        ),
        "translation": NeedWords(
            ("Nous avons besoin de faire traduire nos étiquettes, nos catalogues et notre site "
             "Web.",
             "Nous avons besoin de documents de vente bilingues et d'aide pour communiquer avec "
             "nos clients étrangers."),
            "la traduction et la communication bilingue",
        ),
        "government_procurement": NeedWords(
            ("Nous voulons soumissionner aux appels d'offres publics et aux marchés "
             "gouvernementaux.",
             "Nous avons besoin d'aide pour nous inscrire comme fournisseur du secteur public."),
            "les marchés publics et les appels d'offres",
        ),
        "supply_chain": NeedWords(
            ("Nous voulons devenir fournisseur de grands fabricants et intégrer leur chaîne "
             "d'approvisionnement.",
             "Nous devons respecter les exigences des clients pour la livraison, la traçabilité "
             "et la qualité."),
            "le développement des fournisseurs et les chaînes d'approvisionnement",
        ),
        "technology": NeedWords(
            ("Nous voulons automatiser notre production et adopter de nouvelles technologies.",
             "Nous avons besoin d'aide pour la transformation numérique, les systèmes ERP et "
             "l'innovation."),
            "l'automatisation, la technologie et l'innovation",
        ),
        "workforce": NeedWords(
            ("Nous devons recruter et former de la main-d'œuvre qualifiée pour notre usine.",
             "Nous cherchons des programmes de formation et de développement des compétences "
             "techniques."),
            "la formation de la main-d'œuvre et les compétences techniques",
        ),
        "sustainability": NeedWords(
            ("Nous voulons réduire notre empreinte carbone et respecter les exigences de "
             "développement durable des acheteurs.",
             "Nous avons besoin d'aide pour le recyclage, l'efficacité énergétique et les "
             "rapports environnementaux."),
            "le développement durable, le recyclage et l'efficacité énergétique",
        ),
    },
    stages={
        "none": "Pour l'instant, nous vendons seulement sur le marché intérieur.",
        "exploring": "Nous explorons nos premières ventes à l'exportation.",
        "occasional": "Nous exportons à l'occasion et voulons croître à l'étranger.",
        "regular": "Nous exportons régulièrement en Amérique du Nord.",
    },
    sme_descriptions=(
        "Nous sommes une entreprise {of_sector} établie à {city} avec {employees} employés. "
        "{stage}",
        "Entreprise familiale {of_sector} à {city}, {employees} employés. {stage}",
        "Basée à {city}, notre équipe de {employees} personnes se spécialise en {sector}. "
        "{stage}",
    ),
    sme_products="{verb} {products}.",
    mentor_bios=(
        "{years} ans d'expérience en {sector}. J'ai accompagné des entreprises pour "
        "{expertise}.",
        "J'ai travaillé {years} ans comme {role} en {sector}. Je conseille les PME sur "
        "{expertise}.",
    ),
    mentor_more="Je peux aussi vous aider pour {items}.",
    mentor_roles=("gestionnaire des exportations", "responsable d'usine",
                  "spécialiste en dédouanement", "spécialiste du commerce international",
                  "responsable des achats", "analyste d'affaires",
                  "gestionnaire de comptes d'entreprises"),
    mentor_description="Mentor à {city} qui accompagne les entreprises {of_sector} pour {e1}.",
    modes={
        "virtual": "Disponible pour des rencontres virtuelles.",
        "in_person": "Je préfère les rencontres en personne à {city}.",
        "both": "Disponible en personne à {city} ou en ligne.",
    },
    buyer_products="Nous recherchons des fournisseurs {products}.",
    volumes={
        "small": "Nos commandes sont petites, avec des achats réguliers.",
        "medium": "Nous passons des commandes moyennes chaque mois.",
        "large": "Nous achetons de grands volumes avec des contrats annuels.",
    },
    buyer_certifications="Les fournisseurs doivent être certifiés {certifications}.",
    buyer_types=("Distributeur", "Chaîne de magasins", "Fabricant", "Importateur", "Grossiste"),
    buyer_description="{buyer_type} de {city} à la recherche de fournisseurs en {sector} en "
    "Amérique du Nord.",
    company_patterns=("{word} {surname}", "Groupe {word} {surname}", "{word} de {city}"),
    company_suffixes=(" inc.", " ltée", ""),
    email_locals=("info", "ventes", "contact", "bonjour", "export"),
)
