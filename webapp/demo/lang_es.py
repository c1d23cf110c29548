"""Spanish (Mexico) words for demo profiles."""

from webapp.demo.bank import LanguageBank, NeedWords, SectorWords

BANK = LanguageBank(
    conjunction="y",
    sme_article="",
    buyer_article="",
    sectors={
        "automotive": SectorWords(
            "manufactura de autopartes", "Fabricamos", "Autopartes",
            ("componentes de freno", "arneses eléctricos", "estructuras de asientos",
             "piezas metálicas troqueladas", "componentes de dirección",
             "molduras interiores de plástico", "engranes de transmisión",
             "piezas de aluminio fundido"),
        ),
        "agrifood": SectorWords(
            "producción agroalimentaria", "Cultivamos, procesamos y empacamos", "Alimentos",
            ("aguacates frescos", "frutos rojos", "jitomates de invernadero",
             "pimientos morrones", "café tostado", "salsas artesanales", "chiles secos",
             "hortalizas congeladas"),
        ),
        "electronics": SectorWords(
            "manufactura electrónica", "Fabricamos", "Electrónica",
            ("ensambles de tarjetas electrónicas", "sensores electrónicos", "fuentes de poder",
             "conectores", "ensambles de cable", "tarjetas de control industrial",
             "módulos de iluminación LED"),
        ),
        "medical": SectorWords(
            "fabricación de dispositivos médicos", "Fabricamos", "Médica",
            ("instrumentos quirúrgicos", "catéteres", "implantes ortopédicos",
             "insumos médicos desechables", "equipo dental", "kits de diagnóstico",
             "férulas ortopédicas"),
        ),
        "apparel": SectorWords(
            "confección y textiles", "Diseñamos y confeccionamos", "Textil",
            ("pantalones de mezclilla", "uniformes de trabajo", "playeras de punto",
             "botas de piel", "blusas bordadas", "ropa deportiva", "chamarras técnicas"),
        ),
        "logistics": SectorWords(
            "transporte y logística", "Ofrecemos", "Logística",
            ("servicios de autotransporte transfronterizo", "transporte refrigerado",
             "almacenes fiscales", "servicios de agenciamiento de carga",
             "entregas de última milla", "servicios de cross-dock"),
        ),
        "aerospace": SectorWords(
            "manufactura aeroespacial", "Fabricamos", "Aeroespacial",
            ("componentes aeronáuticos maquinados", "paneles de materiales compuestos",
             "partes de tren de aterrizaje", "álabes de turbina",
             "arneses eléctricos aeronáuticos", "partes para interiores de cabina"),
        ),
        "machinery": SectorWords(
            "maquinados y equipo industrial", "Fabricamos", "Maquinados",
            ("piezas maquinadas en CNC", "troqueles y moldes industriales",
             "implementos agrícolas", "sistemas de transportadores",
             "estructuras de acero soldadas", "equipos de refrigeración"),
        ),
        "plastics": SectorWords(
            "plásticos y productos químicos", "Producimos", "Plásticos",
            ("piezas de plástico inyectado", "empaques de plástico", "mangueras industriales",
             "productos de limpieza", "cosméticos naturales", "recubrimientos industriales"),
        ),
        "furniture": SectorWords(
            "muebles y productos de madera", "Fabricamos", "Muebles",
            ("muebles de madera maciza", "muebles de oficina", "gabinetes de cocina",
             "tarimas de madera", "pisos de madera"),
        ),
        "crafts": SectorWords(
            "artesanías y bienes de consumo", "Elaboramos a mano", "Artesanías",
            ("piezas de cerámica artesanal", "joyería de plata", "textiles tejidos en telar",
             "juguetes de madera", "artículos de vidrio soplado", "velas decorativas"),
        ),
        "software": SectorWords(
            "software y servicios de TI", "Desarrollamos", "Sistemas",
            ("software de gestión de inventarios", "plataformas de comercio electrónico",
             "aplicaciones móviles", "servicios de alojamiento en la nube",
             "servicios de ciberseguridad", "tableros de analítica de datos"),
        ),
        "energy": SectorWords(
            "energías limpias", "Ofrecemos", "Energía Solar",
            ("instalaciones de paneles solares", "componentes para aerogeneradores",
             "motores eléctricos", "auditorías de eficiencia energética",
             "sistemas de almacenamiento en baterías"),
        ),
    },
    needs={
        "export_regulations": NeedWords(
            ("Necesitamos orientación sobre trámites aduaneros, clasificación arancelaria y "
             "permisos de exportación.",
             "Queremos entender las regulaciones de exportación y los procedimientos de aduana "
             "para nuestros productos."),
            "trámites aduaneros y cumplimiento de exportación",
        ),
        "rules_of_origin": NeedWords(
            ("Necesitamos ayuda para demostrar las reglas de origen del T-MEC y preparar "
             "certificados de origen.",
             "Queremos saber si nuestros productos califican para los aranceles preferenciales "
             "del T-MEC."),
            "reglas de origen del T-MEC y certificados de origen",
        ),
        "financing": NeedWords(
            ("Buscamos financiamiento, capital de trabajo y seguro de crédito a la exportación.",
             "Necesitamos acceso a crédito para comprar maquinaria y financiar pedidos más "
             "grandes."),
            "financiamiento a la exportación y acceso a capital",
        ),
        "logistics": NeedWords(
            ("Necesitamos socios logísticos confiables para el transporte transfronterizo y el "
             "almacenaje.",
             "Queremos reducir los costos de flete y los tiempos de espera en el cruce "
             "fronterizo."),
            "logística transfronteriza y transporte de carga",
        ),
        "ecommerce": NeedWords(
            ("Queremos vender en línea a través de marketplaces y de nuestra propia tienda "
             "virtual.",
             "Necesitamos apoyo con marketing digital, pagos en línea y herramientas de comercio "
             "electrónico."),
            "comercio electrónico y marketing digital",
        ),
        "certification": NeedWords(
            ("Necesitamos obtener las certificaciones de calidad que piden nuestros clientes.",
             "Nos estamos preparando para una auditoría de normas de calidad y la "
             "certificación."),
            "certificación de calidad y normas internacionales",
        ),
        "market_entry": NeedWords(
            ("Necesitamos un estudio de mercado y una estrategia de entrada para encontrar "
             "distribuidores.",
             "Buscamos compradores, distribuidores y ferias comerciales en nuevos mercados."),
            "estudios de mercado y búsqueda de distribuidores",
        ),
        "legal_tax": NeedWords(
            ("Necesitamos asesoría sobre contratos, obligaciones fiscales y la apertura de una "
             "empresa en el extranjero.",
             "Queremos entender los impuestos, la facturación y los requisitos legales del "
             "comercio transfronterizo."),
            "contratos internacionales y fiscalidad transfronteriza",
        ),
        "translation": NeedWords(
            ("Necesitamos traducir nuestras etiquetas, catálogos y sitio web.",
             "Necesitamos materiales de venta bilingües y apoyo para comunicarnos con clientes "
             "extranjeros."),
            "traducción y comunicación bilingüe",
        ),
        "government_procurement": NeedWords(
            ("Queremos participar en licitaciones públicas y compras de gobierno.",
             "Necesitamos ayuda para registrarnos como proveedores del sector público."),
            "compras de gobierno y licitaciones públicas",
        ),
        "supply_chain": NeedWords(
            ("Queremos ser proveedores de grandes fabricantes e integrarnos a su cadena de "
             "suministro.",
             "Necesitamos cumplir los requisitos de entrega, trazabilidad y calidad de los "
             "clientes."),
            "desarrollo de proveedores e integración a cadenas de suministro",
        ),
        "technology": NeedWords(
            ("Queremos automatizar nuestra producción y adoptar nuevas tecnologías.",
             "Necesitamos apoyo en transformación digital, sistemas ERP e innovación de "
             "procesos."),
            "automatización, tecnología e innovación",
        ),
        "workforce": NeedWords(
            ("Necesitamos contratar y capacitar personal calificado para nuestra planta.",
             "Buscamos programas de capacitación y desarrollo de habilidades técnicas para los "
             "trabajadores."),
            "capacitación del personal y habilidades técnicas",
        ),
        "sustainability": NeedWords(
            ("Queremos reducir nuestra huella de carbono y cumplir los requisitos de "
             "sustentabilidad de los compradores.",
             "Necesitamos apoyo en reciclaje, eficiencia energética y reportes ambientales."),
            "sustentabilidad, reciclaje y eficiencia energética",
        ),
    },
    stages={
        "none": "Por ahora vendemos solo en el mercado nacional.",
        "exploring": "Estamos explorando nuestras primeras ventas de exportación.",
        "occasional": "Exportamos de manera ocasional y queremos crecer en el extranjero.",
        "regular": "Exportamos con regularidad a América del Norte.",
    },
    sme_descriptions=(
        "Somos una empresa de {sector} ubicada en {city} con {employees} empleados. {stage}",
        "Empresa familiar de {sector} en {city}, con {employees} empleados. {stage}",
        "Desde {city}, nuestro equipo de {employees} personas trabaja en {sector}. {stage}",
    ),
    sme_products="{verb} {products}.",
    mentor_bios=(
        "{years} años de experiencia en {sector}. He apoyado a empresas en {expertise}.",
        "Fui {role} durante {years} años en {sector}. Asesoro a pequeñas empresas en "
        "{expertise}.",
    ),
    mentor_more="También puedo ayudar con {items}.",
    mentor_roles=("gerente de exportaciones", "gerente de planta", "agente aduanal",
                  "especialista en comercio exterior", "responsable de compras",
                  "analista de negocios", "gerente de banca empresarial"),
    mentor_description="Mentor en {city}, especialista en {e1} para empresas de {sector}.",
    modes={
        "virtual": "Disponible para sesiones virtuales.",
        "in_person": "Prefiero reunirme en persona en {city}.",
        "both": "Disponible en persona en {city} o en línea.",
    },
    buyer_products="Buscamos proveedores de {products}.",
    volumes={
        "small": "Nuestros pedidos son pequeños, con compras recurrentes.",
        "medium": "Hacemos pedidos medianos cada mes.",
        "large": "Compramos grandes volúmenes con contratos anuales.",
    },
    buyer_certifications="Los proveedores deben estar certificados en {certifications}.",
    buyer_types=("Distribuidora", "Cadena de tiendas", "Fabricante", "Importadora",
                 "Mayorista"),
    buyer_description="{buyer_type} con sede en {city} que busca proveedores de {sector} en "
    "América del Norte.",
    company_patterns=("{word} {surname}", "Grupo {word} {surname}", "{word} de {city}"),
    company_suffixes=(" S.A. de C.V.", " S. de R.L. de C.V.", " S.A.P.I. de C.V.", ""),
    email_locals=("contacto", "ventas", "info", "exportaciones", "comercial"),
)
