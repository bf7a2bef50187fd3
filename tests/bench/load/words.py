"""Word lists the synthetic data is made of: names, places, subjects.

Big enough that a search for one word finds a realistic share of a million rows (a company
word: ~1 %, a surname: ~1 %, a city: ~2 %), and ASCII where the words end up in e-mail
addresses and domains.
"""

FIRST_NAMES = [
    "Anna", "Ben", "Carla", "David", "Eva", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Klara",
    "Lukas", "Marta", "Noah", "Olga", "Paul", "Rosa", "Stefan", "Tina", "Umar", "Vera",
    "Walter", "Xenia", "Yusuf", "Zoe", "Andreas", "Birgit", "Christian", "Doris", "Emil",
    "Frieda", "Georg", "Hanna", "Ivan", "Julia", "Karl", "Lena", "Max", "Nina", "Oskar",
    "Petra", "Ralf", "Sabine", "Thomas", "Ulrike", "Viktor", "Wiebke", "Amelie", "Bernd",
    "Chiara", "Dennis", "Elif", "Felix", "Gisela", "Henrik", "Ida", "Jan", "Katrin", "Leon",
    "Mia", "Niklas", "Paula", "Sven", "Tobias", "Laura", "Sophie", "Moritz", "Aylin", "Milan",
]  # fmt: skip

LAST_NAMES = [
    "Schmidt", "Meyer", "Novak", "Jensen", "Rossi", "Dubois", "Kowalski", "Andersson",
    "Fischer", "Weber", "Costa", "Virtanen", "Becker", "Horvat", "Larsen", "Moreau", "Wagner",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krueger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Lehmann",
    "Koehler", "Maier", "Herrmann", "Walter", "Peters", "Kaiser", "Fuchs", "Scholz", "Vogel",
    "Friedrich", "Keller", "Guenther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Boehm", "Winter", "Kraus",
    "Martin", "Schumacher", "Vogt", "Stein", "Jaeger", "Otto", "Sommer", "Gross", "Seidel",
    "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Dietrich", "Ziegler", "Kuhn", "Pohl",
    "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff",
    "Pfeiffer", "Yilmaz", "Kaya", "Nowak", "Petrov", "Nielsen", "Bakker", "Jansen", "Silva",
]  # fmt: skip

COMPANY_WORDS = [
    "Acme", "Nordic", "Alpine", "Baltic", "Delta", "Orion", "Vertex", "Summit", "Harbor",
    "Pioneer", "Atlas", "Cobalt", "Falcon", "Granite", "Horizon", "Lumen", "Meridian", "Nova",
    "Pinnacle", "Quantum", "Redwood", "Sterling", "Titan", "Union", "Vista", "Apex", "Beacon",
    "Cascade", "Crest", "Dynamo", "Elbe", "Fjord", "Gamma", "Helix", "Iris", "Juniper",
    "Keystone", "Lighthouse", "Magnet", "Neckar", "Oak", "Polaris", "Rhein", "Saxon", "Terra",
    "Ultra", "Vector", "Weser", "Zenith", "Aurora", "Boreal", "Compass", "Donau", "Evergreen",
    "Frontier", "Glacier", "Hansa", "Isar", "Kestrel", "Lotus", "Main", "Northwind", "Onyx",
    "Prisma", "Solaris", "Trident",
]  # fmt: skip

COMPANY_NOUNS = [
    "Tools", "Machines", "Foods", "Builders", "Medical", "Systems", "Supply", "Logistics",
    "Engineering", "Trading", "Components", "Hydraulics", "Farms", "Plastics", "Textiles",
    "Metalworks", "Electronics", "Automation", "Packaging", "Optics", "Robotics", "Pumps",
    "Bearings", "Coatings", "Fasteners", "Castings", "Instruments", "Motors", "Valves",
    "Chemicals", "Paper", "Glass", "Timber", "Energy", "Foundry", "Precision", "Steel",
    "Services", "Labs", "Industries",
]  # fmt: skip

LEGAL_FORMS = ["GmbH", "GmbH", "GmbH", "AG", "KG", "GmbH & Co. KG", "Ltd", "BV", "SE", "e.K."]

STREETS = [
    "Hafenstraße", "Industrieweg", "Bahnhofstraße", "Am Markt", "Lindenallee", "Gewerbepark",
    "Mühlenweg", "Schillerstraße", "Goethestraße", "Hauptstraße", "Dorfstraße", "Gartenstraße",
    "Bergstraße", "Kirchweg", "Ringstraße", "Werkstraße", "Am Hafen", "Lessingstraße",
    "Friedrichstraße", "Kanalstraße", "Rudolf-Diesel-Straße", "Robert-Bosch-Straße",
    "Carl-Benz-Straße", "Im Gewerbegebiet", "Siemensstraße", "Daimlerstraße", "Max-Planck-Straße",
    "Otto-Hahn-Straße", "Zeppelinstraße", "Am Bahnhof",
]  # fmt: skip

DISTRICTS = ["Mitte", "Nord", "Süd", "Ost", "West"]

# code, name, region, [(city, postal prefix, phone area code, state)]
BRANCHES = [
    ("N", "North branch", "North", [
        ("Hamburg", "20", "40", "Hamburg"), ("Bremen", "28", "421", "Bremen"),
        ("Kiel", "24", "431", "Schleswig-Holstein"), ("Hanover", "30", "511", "Lower Saxony"),
        ("Lübeck", "23", "451", "Schleswig-Holstein"), ("Rostock", "18", "381",
         "Mecklenburg-Vorpommern"), ("Oldenburg", "26", "441", "Lower Saxony"),
        ("Osnabrück", "49", "541", "Lower Saxony"),
    ]),
    ("S", "South branch", "South", [
        ("Munich", "80", "89", "Bavaria"), ("Stuttgart", "70", "711", "Baden-Württemberg"),
        ("Nuremberg", "90", "911", "Bavaria"), ("Freiburg", "79", "761", "Baden-Württemberg"),
        ("Augsburg", "86", "821", "Bavaria"), ("Regensburg", "93", "941", "Bavaria"),
        ("Ulm", "89", "731", "Baden-Württemberg"), ("Ingolstadt", "85", "841", "Bavaria"),
    ]),
    ("E", "East branch", "East", [
        ("Berlin", "10", "30", "Berlin"), ("Leipzig", "04", "341", "Saxony"),
        ("Dresden", "01", "351", "Saxony"), ("Potsdam", "14", "331", "Brandenburg"),
        ("Magdeburg", "39", "391", "Saxony-Anhalt"), ("Erfurt", "99", "361", "Thuringia"),
        ("Chemnitz", "09", "371", "Saxony"), ("Halle", "06", "345", "Saxony-Anhalt"),
    ]),
    ("W", "West branch", "West", [
        ("Cologne", "50", "221", "North Rhine-Westphalia"),
        ("Düsseldorf", "40", "211", "North Rhine-Westphalia"),
        ("Dortmund", "44", "231", "North Rhine-Westphalia"),
        ("Essen", "45", "201", "North Rhine-Westphalia"),
        ("Bonn", "53", "228", "North Rhine-Westphalia"),
        ("Münster", "48", "251", "North Rhine-Westphalia"),
        ("Aachen", "52", "241", "North Rhine-Westphalia"),
        ("Duisburg", "47", "203", "North Rhine-Westphalia"),
    ]),
    ("C", "Central branch", "Central", [
        ("Frankfurt", "60", "69", "Hesse"), ("Kassel", "34", "561", "Hesse"),
        ("Wiesbaden", "65", "611", "Hesse"), ("Mainz", "55", "6131", "Rhineland-Palatinate"),
        ("Darmstadt", "64", "6151", "Hesse"), ("Fulda", "36", "661", "Hesse"),
        ("Giessen", "35", "641", "Hesse"), ("Marburg", "35", "6421", "Hesse"),
    ]),
    ("SW", "Southwest branch", "Southwest", [
        ("Mannheim", "68", "621", "Baden-Württemberg"),
        ("Karlsruhe", "76", "721", "Baden-Württemberg"),
        ("Heidelberg", "69", "6221", "Baden-Württemberg"), ("Saarbrücken", "66", "681", "Saarland"),
        ("Kaiserslautern", "67", "631", "Rhineland-Palatinate"),
        ("Trier", "54", "651", "Rhineland-Palatinate"),
        ("Pforzheim", "75", "7231", "Baden-Württemberg"),
        ("Koblenz", "56", "261", "Rhineland-Palatinate"),
    ]),
]  # fmt: skip

JOB_TITLES = [
    "Purchasing manager", "Managing director", "Head of maintenance", "Buyer", "Technical lead",
    "Accounts payable", "Operations manager", "Production manager", "Plant manager",
    "Quality manager", "Service technician", "Office manager",
]  # fmt: skip

DEPARTMENTS = ["Purchasing", "Management", "Maintenance", "Production", "Finance", "Quality", ""]

ALERTS = [
    "Payment overdue twice this year — ask for prepayment on new orders.",
    "Key account: any complaint goes straight to the sales manager.",
    "Delivery only on weekdays before 14:00 (gate closes).",
    "Customer is in insolvency proceedings — no credit.",
]

CUSTOMER_TYPES = ["dealer", "OEM", "distributor", "end user", "member", "export"]
CUSTOMER_GROUPS = [("RET", "Retail"), ("DLR", "Dealers"), ("KEY", "Key accounts")]
INDUSTRIES = [
    "Machinery", "Food & beverage", "Construction", "Healthcare", "Retail", "Automotive",
    "Chemicals", "Energy",
]  # fmt: skip
PAYMENT_TERMS = [("Prepayment", 0), ("Net 14", 14), ("Net 30", 30), ("Net 60", 60)]

PRODUCT_CATEGORIES = {  # parent: [(child, base price, unit, tax rate name)]
    "Machines": [("Lathe", 18000, "pc", "Standard"), ("Milling machine", 26000, "pc", "Standard"),
                 ("Press", 41000, "pc", "Standard")],
    "Tools": [("Cutting tool", 45, "pc", "Standard"), ("Measuring tool", 120, "pc", "Standard")],
    "Consumables": [("Lubricant", 18, "l", "Standard"), ("Filter", 35, "pc", "Standard")],
    "Services": [("Maintenance", 95, "h", "Standard"), ("Training", 650, "day", "Reduced")],
}  # fmt: skip
PRODUCT_SIZES = ["S", "M", "L", "XL", "Pro", "Compact", "Plus", "HD"]

OPPORTUNITY_TITLES = [
    "Replacement of", "Expansion:", "Service contract for", "Retrofit of", "Second shift:",
    "New plant:", "Upgrade of", "Framework agreement:",
]  # fmt: skip
NEXT_STEPS = [
    "Send quote", "Demo on site", "Call purchasing", "Technical clarification",
    "Meet the managing director", "Send references",
]  # fmt: skip
COMPETITORS = ["", "", "", "Hausner", "MachTec", "Kraft & Sohn", "Precisa"]
DISQUALIFY_REASONS = ["No budget", "Duplicate", "Not reachable", "Competitor chosen", "Out of area"]
SOURCE_DETAILS = ["", "", "", "Spring campaign", "Hannover Messe", "Newsletter", "Website chat"]
REJECTION_REASONS = ["Price too high", "Delivery time too long", "Project postponed", "Other offer"]

TICKET_SUBJECTS = [
    "Machine stops after a few minutes", "Error E42 on the display",
    "Spare part delivered with the wrong size", "Invoice shows the wrong VAT rate",
    "How do I change the oil filter?", "Delivery is late", "Request: a second operator login",
    "Noise from the gearbox", "Manual missing from the delivery",
    "Credit note for the returned goods", "Calibration is off by 2 mm", "Training for new staff",
    "Spindle runs hot", "Coolant pump leaking", "Portal login does not work",
    "Quote requested for wear parts", "Emergency stop does not release", "Software update failed",
]  # fmt: skip
TICKET_TAGS = ["", "", "", "", "warranty", "spare parts", "on site", "vip", "firmware"]
TICKET_CATEGORIES = [
    "Technical problem", "Billing and orders", "Spare parts", "Installation", "Training",
    "Portal and access",
]  # fmt: skip

KB_CATEGORIES = [  # slug, name, parent slug
    ("getting-started", "Getting started", None),
    ("accounts-and-access", "Accounts and access", "getting-started"),
    ("machines", "Machines", None),
    ("lathes", "Lathes", "machines"),
    ("milling", "Milling machines", "machines"),
    ("presses", "Presses", "machines"),
    ("orders-and-billing", "Orders and billing", None),
    ("support-internal", "Support desk (internal)", None),
]
KB_ACTIONS = [
    "Calibrating", "Cleaning", "Replacing", "Checking", "Adjusting", "Lubricating",
    "Troubleshooting", "Resetting", "Aligning", "Inspecting",
]  # fmt: skip
KB_OBJECTS = [
    "the spindle", "the chuck jaws", "the way wipers", "the coolant pump", "the tool length probe",
    "the hydraulic unit", "the safety door switch", "the axis drives", "the oil filter",
    "the control panel", "the tailstock", "the ram guides", "the servo valves",
    "the chip conveyor", "the light curtain", "the lubrication pump", "the encoder",
    "the feed gearbox", "the clamping system", "the spindle bearings",
]  # fmt: skip
