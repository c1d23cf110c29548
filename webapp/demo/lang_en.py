"""English words for demo profiles."""

from webapp.demo.bank import LanguageBank, NeedWords, SectorWords

BANK = LanguageBank(
    conjunction="and",
    sme_article="",
    buyer_article="",
    sectors={
        "automotive": SectorWords(
            "automotive parts manufacturing", "We manufacture", "Auto Parts",
            ("brake components", "wiring harnesses", "seat frames", "stamped metal parts",
             "steering components", "plastic interior trim", "transmission gears",
             "aluminum castings"),
        ),
        "agrifood": SectorWords(
            "agri-food production", "We grow, process and pack", "Foods",
            ("fresh avocados", "berries", "greenhouse tomatoes", "bell peppers",
             "roasted coffee", "artisanal salsas", "maple syrup products", "frozen vegetables"),
        ),
        "electronics": SectorWords(
            "electronics manufacturing", "We manufacture", "Electronics",
            ("printed circuit board assemblies", "electronic sensors", "power supplies",
             "connectors", "cable assemblies", "industrial control boards",
             "LED lighting modules"),
        ),
        "medical": SectorWords(
            "medical device manufacturing", "We manufacture", "Medical",
            ("surgical instruments", "catheters", "orthopedic implants",
             "disposable medical supplies", "dental equipment", "diagnostic kits",
             "orthopedic braces"),
        ),
        "apparel": SectorWords(
            "apparel and textiles", "We design and sew", "Apparel",
            ("denim jeans", "work uniforms", "knit shirts", "leather boots",
             "embroidered blouses", "sportswear", "technical outerwear"),
        ),
        "logistics": SectorWords(
            "freight and logistics", "We provide", "Logistics",
            ("cross-border trucking services", "refrigerated transport services",
             "bonded warehouses", "freight forwarding services", "last-mile delivery solutions",
             "cross-dock services"),
        ),
        "aerospace": SectorWords(
            "aerospace manufacturing", "We manufacture", "Aerospace",
            ("machined aircraft components", "composite panels", "landing gear parts",
             "turbine blades", "aircraft wire harnesses", "cabin interior parts"),
        ),
        "machinery": SectorWords(
            "machining and industrial equipment", "We build", "Machine Works",
            ("CNC machined parts", "industrial dies and molds", "agricultural implements",
             "conveyor systems", "welded steel structures", "refrigeration equipment"),
        ),
        "plastics": SectorWords(
            "plastics and chemical products", "We produce", "Plastics",
            ("injection-molded parts", "plastic packaging", "industrial hoses",
             "cleaning products", "natural cosmetics", "industrial coatings"),
        ),
        "furniture": SectorWords(
            "furniture and wood products", "We make", "Woodworks",
            ("solid wood furniture", "office furniture", "kitchen cabinets", "wooden pallets",
             "hardwood floors"),
        ),
        "crafts": SectorWords(
            "handicrafts and consumer goods", "We handcraft", "Crafts",
            ("handmade ceramics", "silver jewelry", "hand-woven textiles", "wooden toys",
             "blown glassware", "decorative candles"),
        ),
        "software": SectorWords(
            "software and IT services", "We develop", "Software",
            ("inventory management software", "e-commerce platforms", "mobile apps",
             "cloud hosting services", "cybersecurity services", "data analytics dashboards"),
        ),
        "energy": SectorWords(
            "clean energy", "We provide", "Solar",
            ("solar panel installations", "wind turbine components", "electric motors",
             "energy efficiency audits", "battery storage systems"),
        ),
    },
    needs={
        "export_regulations": NeedWords(
            ("We need guidance on customs paperwork, tariff classification and export permits.",
             "We want to understand the export regulations and customs procedures for our "
             "products."),
            "customs procedures and export compliance",
        ),
        "rules_of_origin": NeedWords(
            ("We need help proving USMCA rules of origin and preparing certificates of origin.",
             "We want to know whether our products qualify for USMCA preferential tariffs."),
            "USMCA rules of origin and certificates of origin",
        ),
        "financing": NeedWords(
            ("We are looking for financing, working capital and export credit insurance.",
             "We need access to capital to buy equipment and finance larger orders."),
            "export financing and access to capital",
        ),
        "logistics": NeedWords(
            ("We need reliable logistics partners for cross-border freight and warehousing.",
             "We want to reduce transport costs and delays at the border crossing."),
            "cross-border logistics and freight transport",
        ),
        "ecommerce": NeedWords(
            ("We want to sell online through marketplaces and our own e-commerce store.",
             "We need help with digital marketing, online payments and e-commerce tools."),
            "e-commerce and digital marketing",
        ),
        "certification": NeedWords(
            ("We need to obtain the quality certifications our customers require.",
             "We are preparing for a quality standards audit and certification."),
            "quality certification and international standards",
        ),
        "market_entry": NeedWords(
            ("We need market research and a go-to-market strategy to find distributors.",
             "We are looking for buyers, distributors and trade shows in new markets."),
            "market research and finding distributors",
        ),
        "legal_tax": NeedWords(
            ("We need advice on contracts, tax obligations and setting up a company abroad.",
             "We want to understand cross-border taxes, invoicing and legal requirements."),
            "international contracts and cross-border taxation",
        ),
        "translation": NeedWords(
            ("We need translation of our labels, catalogs and website.",
             "We need bilingual sales materials and help communicating with foreign customers."),
            "translation and bilingual communication",
        ),
        "government_procurement": NeedWords(
            ("We want to bid on government procurement contracts and public tenders.",
             "We need help registering as a supplier for public sector purchasing."),
            "government procurement and public tenders",
        ),
        "supply_chain": NeedWords(
            ("We want to become a supplier to large manufacturers and join their supply chain.",
             "We need help meeting supplier requirements for delivery, traceability and "
             "quality."),
            "supplier development and supply chain integration",
        ),
        "technology": NeedWords(
            ("We want to automate our production and adopt new technology.",
             "We need help with digital transformation, ERP systems and process innovation."),
            "automation, technology and innovation",
        ),
        "workforce": NeedWords(
            ("We need to hire and train skilled workers for our plant.",
             "We are looking for workforce training programs and technical skills development."),
            "workforce training and technical skills",
        ),
        "sustainability": NeedWords(
            ("We want to reduce our carbon footprint and meet the sustainability requirements "
             "of buyers.",
             "We need help with recycling, energy efficiency and environmental reporting."),
            "sustainability, recycling and energy efficiency",
        ),
    },
    stages={
        "none": "We sell only in our domestic market today.",
        "exploring": "We are exploring our first export sales.",
        "occasional": "We export occasionally and want to grow abroad.",
        "regular": "We export regularly across North America.",
    },
    sme_descriptions=(
        "Our {sector} company is based in {city} and has {employees} employees. {stage}",
        "Family-owned {sector} business in {city}, {employees} employees. {stage}",
        "Based in {city}, our team of {employees} people works in {sector}. {stage}",
    ),
    sme_products="{verb} {products}.",
    mentor_bios=(
        "{years} years of experience in {sector}. I have helped companies with {expertise}.",
        "Former {role} with {years} years in {sector}. I advise small businesses on "
        "{expertise}.",
    ),
    mentor_more="I can also help with {items}.",
    mentor_roles=("export manager", "plant manager", "customs broker", "trade commissioner",
                  "purchasing director", "management consultant", "bank officer"),
    mentor_description="Mentor in {city} specializing in {e1} for {sector} businesses.",
    modes={
        "virtual": "Available for virtual sessions.",
        "in_person": "I prefer to meet in person in {city}.",
        "both": "Available in person in {city} or online.",
    },
    buyer_products="We are looking for suppliers of {products}.",
    volumes={
        "small": "Our orders are small, with regular repeat purchases.",
        "medium": "We place medium-sized orders every month.",
        "large": "We buy large volumes under annual contracts.",
    },
    buyer_certifications="Suppliers must be certified to {certifications}.",
    buyer_types=("Distributor", "Retail chain", "Manufacturer", "Importer", "Wholesaler"),
    buyer_description="{buyer_type} based in {city} looking for suppliers in {sector} across "
    "North America.",
    company_patterns=("{surname} {word}", "{surname} & Sons {word}", "{word} of {city}"),
    company_suffixes=(" Inc.", " LLC", " Ltd.", " Co.", ""),
    email_locals=("info", "sales", "contact", "hello", "export"),
)
