"""The demo's organisations: what each kind of organisation of each country writes, in its own language.

Each ``Kind`` is one sort of organisation (a Polish furniture cluster, a Latvian wood-processing
cluster, an Estonian e-government centre…) with its offer, its seek and its marketplace
opportunities written as such an organisation would write them, so that the pairs that answer
each other cross languages as they do at a real Baltic brokerage event: Polish furniture makers
seek Latvian and Lithuanian plywood and boards, Polish regions seek Estonian e-government know-how,
Latvian social enterprises seek the Polish social cooperatives' experience. Countries without a
language of their own here (Finland, Sweden, Denmark, Norway) write in English, as they do there.

Names are templates: ``{of}`` is the region in the genitive (``Warmii i Mazur``, ``Latgales``),
``{adj}`` a Polish voivodeship's adjective (``Pomorskiego``), ``{region}`` the region as it is,
``{coop}`` a cooperative's own name. A name given with a region is that place's own institution.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Regions and their genitive (what a name says: "Klaster Meblarski Warmii i Mazur", "Kauno …").
REGIONS: dict[str, dict[str, str]] = {
    "PL": {"Pomorskie": "Pomorza", "Kujawsko-Pomorskie": "Kujaw i Pomorza", "Podlaskie": "Podlasia",
           "Zachodniopomorskie": "Pomorza Zachodniego", "Warmińsko-Mazurskie": "Warmii i Mazur",
           "Mazowieckie": "Mazowsza", "Wielkopolskie": "Wielkopolski"},
    "LV": {"Rīga": "Rīgas", "Vidzeme": "Vidzemes", "Kurzeme": "Kurzemes", "Zemgale": "Zemgales",
           "Latgale": "Latgales"},
    "LT": {"Vilnius": "Vilniaus", "Kaunas": "Kauno", "Klaipėda": "Klaipėdos", "Šiauliai": "Šiaulių",
           "Panevėžys": "Panevėžio"},
    "EE": {"Harjumaa": "Harjumaa", "Tartumaa": "Tartumaa", "Pärnumaa": "Pärnumaa", "Ida-Virumaa": "Ida-Virumaa"},
    "DE": {r: r for r in ("Hamburg", "Schleswig-Holstein", "Mecklenburg-Vorpommern", "Berlin")},
    "FI": {r: r for r in ("Uusimaa", "Varsinais-Suomi", "Pirkanmaa")},
    "SE": {r: r for r in ("Skåne", "Västra Götaland", "Stockholm")},
    "DK": {r: r for r in ("Hovedstaden", "Syddanmark")},
    "NO": {r: r for r in ("Viken", "Vestland")},
}
COOPERATIVES = {
    "PL": ["Pod Dębem", "Zielona Łąka", "Tęcza", "Żuraw", "Poezja Smaku", "Arlekin Bis", "Kuźnia Smaków",
           "Pracownia Lnu", "Nasza Piekarnia", "Dobre Ręce", "Przystań", "Kaszubska Chata", "Wrzos", "Bursztyn"],
    "LV": ["Lina darbnīca", "Zaļā virtuve", "Otrā elpa", "Kalna māja", "Saules darbnīca", "Dzīvesprieks",
           "Rūķu darbnīca", "Mālu māja", "Dzijas pūrs"],
    "LT": ["Darbščios rankos", "Saulės dirbtuvės", "Gerumo namai", "Vilties dirbtuvės", "Linų kelias"],
    "EE": ["Käsitöökoda", "Hea Tegu"],
}

Opportunity = tuple[str, str, str, str]  # kind, category, title, description


@dataclass(frozen=True)
class Kind:
    """One sort of organisation of a country, as it presents itself."""

    organisation_type: str
    sectors: tuple[str, ...]
    names: tuple[str | tuple[str, str], ...]  # templates, or (name, region) of one institution
    description: str
    offer: str
    seek: str
    opportunities: tuple[Opportunity, ...] = field(default_factory=tuple)
    weight: int = 1
    regions: tuple[str, ...] = ()  # where such organisations are (all the country's regions when empty)


PL_FURNITURE = Kind(
    "cluster", ("wood_furniture", "manufacturing"),
    ("Klaster Meblarski {of}", "Klaster Drzewno-Meblarski {of}"),
    "Zrzeszamy producentów mebli skrzyniowych i tapicerowanych; większość członków eksportuje do Niemiec "
    "i Skandynawii.",
    "Produkujemy meble skrzyniowe i tapicerowane na zlecenie, także pod marką partnera. "
    "Organizujemy wspólne stoiska targowe i kontakty z sieciami meblowymi w Niemczech.",
    "Szukamy dostawców sklejki brzozowej oraz płyt MDF i OSB z Łotwy i Litwy. "
    "Potrzebujemy tartaków, które dostarczą suszone drewno dębowe i sosnowe na fronty mebli.",
    (("request", "subcontracting", "Szukamy dostawców sklejki brzozowej i płyt MDF z krajów bałtyckich",
      "Producenci mebli z regionu {region} potrzebują stałych dostaw sklejki brzozowej, płyt MDF i OSB "
      "oraz suszonego drewna dębowego."),
     ("offer", "manufacturing_agreement", "Produkcja mebli tapicerowanych pod marką partnera",
      "Wolne moce produkcyjne w szwalniach i stolarniach naszych członków; krótkie serie i wzory klienta.")),
    weight=5)

PL = [
    PL_FURNITURE,
    Kind("cluster", ("agrifood",), ("Klaster Spożywczy {of}", "Klaster Rolno-Spożywczy {of}"),
         "Łączymy przetwórców owoców, warzyw i mleka z sadownikami i rolnikami regionu.",
         "Przetwarzamy owoce i warzywa: soki tłoczone, dżemy i mrożonki z polskich sadów. "
         "Mamy akredytowane laboratorium badań żywności dla małych firm.",
         "Szukamy dystrybutorów żywności ekologicznej na Litwie, Łotwie i w Estonii. "
         "Potrzebujemy dostawców opakowań biodegradowalnych do soków i dżemów.",
         (("request", "distribution", "Szukamy dystrybutorów soków tłoczonych w krajach bałtyckich",
           "Sadownicy i tłocznie z regionu {region} szukają hurtowni i sieci sklepów ze zdrową żywnością."),
          ("offer", "technical_cooperation", "Laboratorium badań żywności dla spółdzielni i MŚP",
           "Akredytowane laboratorium: badania trwałości, wartości odżywczej i etykiety żywieniowe.")),
         weight=3),
    Kind("cluster", ("ict",), ("Klaster ICT {of}", "Klaster Informatyczny {of}"),
         "Skupiamy software house'y i integratorów systemów, którzy pracują dla przemysłu i logistyki.",
         "Tworzymy aplikacje mobilne i systemy dla logistyki i magazynów. "
         "Wynajmujemy programistów Java i .NET firmom z całej Europy.",
         "Szukamy firm produkcyjnych z krajów bałtyckich, które chcą wdrożyć system ERP lub MES. "
         "Chcemy poznać klastry meblarskie i spożywcze, które potrzebują sklepów internetowych i systemów B2B.",
         (("offer", "outsourcing", "Outsourcing programistów Java i .NET",
           "Firmy klastra z regionu {region} udostępniają programistów Java, .NET i testerów."),),
         weight=2),
    Kind("cluster", ("maritime", "manufacturing"), ("Klaster Morski {of}", "Klaster Stoczniowy {of}"),
         "Stocznie remontowe, producenci wyposażenia statków i porty Pomorza w jednym klastrze.",
         "Remontujemy i przebudowujemy statki w stoczniach naszych członków. "
         "Oferujemy spawanie, obróbkę CNC i prefabrykację sekcji kadłubów.",
         "Szukamy dostawców napędów elektrycznych i wodorowych do promów. "
         "Potrzebujemy partnerów z Niemiec i Finlandii do projektu o zielonej żegludze.",
         (("offer", "subcontracting", "Podwykonawstwo: obróbka CNC i spawanie dla przemysłu morskiego",
           "Firmy klastra z regionu {region} mają wolne moce: cięcie laserowe, obróbka CNC, spawanie."),),
         weight=2, regions=("Pomorskie", "Zachodniopomorskie", "Warmińsko-Mazurskie")),
    Kind("cluster", ("energy", "cleantech"), ("Klaster Energii {of}",),
         "Klaster energii gmin i przedsiębiorstw, który wytwarza i bilansuje energię lokalnie.",
         "Doradzamy gminom przy tworzeniu klastrów energii i spółdzielni energetycznych. "
         "Pomagamy przygotować projekty fotowoltaiki i magazynów energii.",
         "Szukamy stałych dostawców pelletu drzewnego i zrębki z Łotwy i Estonii. "
         "Potrzebujemy technologii magazynowania ciepła dla ciepłowni gminnych.",
         (("request", "distribution", "Szukamy dostawców pelletu drzewnego dla ciepłowni",
           "Ciepłownie gminne z regionu {region} kupią pellet i zrębkę na kolejny sezon grzewczy."),)),
    Kind("social_cooperative", ("social_economy", "social_services"),
         ("Spółdzielnia Socjalna „{coop}”", "Spółdzielnia Socjalna „{coop}” z {of}"),
         "Spółdzielnia socjalna, w której pracują osoby wychodzące z długotrwałego bezrobocia i osoby "
         "z niepełnosprawnościami.",
         "Prowadzimy catering na konferencje i szkolenia z lokalnych produktów. "
         "Szyjemy torby i tekstylia z lnu na zamówienie firm i urzędów.",
         "Szukamy odbiorców naszych usług wśród firm i urzędów, które stosują klauzule społeczne. "
         "Chcemy poznać spółdzielnie i przedsiębiorstwa społeczne z Łotwy i Litwy, by wymienić doświadczenia.",
         (("request", "commercial_agency", "Agent handlowy dla produktów spółdzielni socjalnych w Skandynawii",
           "Rękodzieło i tekstylia naszej spółdzielni szukają agenta w Szwecji i Danii."),
          ("offer", "distribution", "Catering spółdzielni socjalnej na wydarzenia",
           "Obiady, przerwy kawowe i bufety z lokalnych produktów, przygotowane przez naszą spółdzielnię.")),
         weight=4),
    Kind("business_support", ("social_economy",), ("Ośrodek Wsparcia Ekonomii Społecznej {of}",),
         "Wspieramy powstawanie spółdzielni socjalnych i przedsiębiorstw społecznych w regionie.",
         "Szkolimy i doradzamy osobom, które zakładają spółdzielnie socjalne. "
         "Przyznajemy dotacje na nowe miejsca pracy w przedsiębiorstwach społecznych.",
         "Szukamy partnerów z krajów bałtyckich do projektu o zatrudnieniu socjalnym. "
         "Poszukujemy organizacji, które przyjmą nasze spółdzielnie na wizyty studyjne.",
         (("partnership", "research_consortium", "Partnerzy do projektu Interreg o ekonomii społecznej",
           "Szukamy spółdzielni socjalnych i samorządów z krajów bałtyckich do wspólnego wniosku."),),
         weight=2),
    Kind("public_authority", ("ict", "social_services"), ("Urząd Marszałkowski Województwa {adj}",),
         "Samorząd województwa: zarządzamy programem regionalnym i wspieramy współpracę międzynarodową.",
         "Współfinansujemy projekty Interreg i programy regionalne. "
         "Dajemy dostęp do sieci samorządów i instytucji otoczenia biznesu województwa.",
         "Szukamy doświadczeń w cyfryzacji usług publicznych i e-administracji. "
         "Poszukujemy rozwiązań do elektronicznej identyfikacji mieszkańców i wymiany danych między urzędami.",
         (("partnership", "partner_search_call",
           "E-administracja: szukamy regionów z doświadczeniem w cyfrowych usługach publicznych",
           "Województwo szuka regionów i ekspertów e-administracji do wniosku w programie Interreg."),),
         weight=2),
    Kind("university", ("wood_furniture", "education"),
         (("Politechnika Gdańska", "Pomorskie"), ("Uniwersytet Przyrodniczy w Poznaniu", "Wielkopolskie"),
          ("Politechnika Białostocka", "Podlaskie"), ("Uniwersytet Warmińsko-Mazurski w Olsztynie",
                                                       "Warmińsko-Mazurskie")),
         "Uczelnia techniczna z wydziałem technologii drewna i wzornictwa.",
         "Badamy wytrzymałość i emisję formaldehydu kompozytów drzewnych, certyfikujemy wyroby. "
         "Projektujemy meble i prototypy razem ze studentami wzornictwa.",
         "Szukamy firm i klastrów do wspólnych projektów badawczych w programie Horyzont Europa. "
         "Szukamy miejsc praktyk dla studentów w firmach z krajów bałtyckich.",
         (("offer", "technical_cooperation", "Badania i certyfikacja materiałów drewnopochodnych",
           "Laboratorium uczelni bada wytrzymałość i emisję formaldehydu kompozytów i mebli."),),
         weight=2),
]

LV = [
    Kind("cluster", ("wood_furniture", "bioeconomy"),
         ("{of} kokrūpniecības klasteris", "{of} meža un koksnes klasteris", "{of} kokapstrādes uzņēmumu asociācija"),
         "Klasteris apvieno kokzāģētavas, saplākšņa ražotājus un koka būvniecības uzņēmumus.",
         "Ražojam bērza saplāksni, MDF un OSB plātnes mēbeļu ražotājiem. "
         "Piegādājam kaltētus priedes un ozola zāģmateriālus mēbeļu frontēm un detaļām. "
         "No koksnes atlikumiem ražojam granulas un šķeldu siltumapgādei.",
         "Meklējam mēbeļu ražotājus Polijā un Vācijā, kas iepirktu saplāksni un koka detaļas. "
         "Meklējam partnerus koka būvniecības projektiem Skandināvijā.",
         (("offer", "distribution", "Piedāvājam bērza saplāksni un MDF plātnes mēbeļu ražotājiem",
           "Klastera uzņēmumi no reģiona {region} piegādā bērza saplāksni, MDF un kaltētus zāģmateriālus."),),
         weight=4),
    Kind("cluster", ("wood_furniture", "creative"), ("{of} mēbeļu klasteris", "{of} mēbeļu ražotāju asociācija"),
         "Mēbeļu ražotāju tīkls: 30 uzņēmumi, kas ražo masīvkoka mēbeles un virtuves iekārtas.",
         "Mēbeļu ražotāju tīkls izgatavo masīvkoka mēbeles un virtuves iekārtas pēc pasūtījuma. "
         "Piedāvājam kopīgu eksporta biroju un dizaina konsultācijas.",
         "Meklējam mēbeļu izplatītājus un veikalus Polijā un Skandināvijā. "
         "Meklējam augstskolas kopīgiem pētījumiem par koksnes materiāliem.",
         (("offer", "joint_venture", "Mēbeļu ražotāju tīkls piedāvā kopuzņēmumu eksportam",
           "Mūsu klasteris apvieno 30 mēbeļu ražotājus un meklē partnerus kopīgam eksportam."),),
         weight=3),
    Kind("cluster", ("agrifood",), ("{of} pārtikas klasteris", "{of} pārtikas ražotāju biedrība"),
         "Mazie pārtikas ražotāji, zemnieku saimniecības un pārstrādes uzņēmumi vienā klasterī.",
         "Ražojam piena produktus, rudzu maizi un ogu sulas no vietējām saimniecībām. "
         "Organizējam kopīgu loģistiku uz Skandināvijas tirgiem.",
         "Meklējam pārtikas pārstrādes iekārtu piegādātājus. "
         "Meklējam izplatītājus un veikalu tīklus Polijā un Vācijā.",
         (("request", "licensing", "Meklējam licenci pārtikas atkritumu pārstrādes tehnoloģijai",
           "Pārtikas klasteris meklē tehnoloģiju licencēšanu no Polijas vai Vācijas partneriem."),),
         weight=2),
    Kind("cluster", ("ict",), ("{of} IKT klasteris", "{of} digitālo inovāciju centrs"),
         "Programmatūras izstrādātāji un datu analītikas uzņēmumi, kas strādā ar rūpniecību.",
         "Izstrādājam programmatūru un datu analītiku ražošanas uzņēmumiem. "
         "Ieviešam mākslīgā intelekta risinājumus loģistikā.",
         "Meklējam ražošanas uzņēmumus, kuriem nepieciešama digitalizācija. "
         "Meklējam partnerus Eiropas digitālās inovācijas centru tīklā.",
         weight=2),
    Kind("social_cooperative", ("social_economy", "textiles"), ("Sociālais uzņēmums „{coop}”",),
         "Sociālais uzņēmums, kurā strādā cilvēki ar invaliditāti un ilgstoši bezdarbnieki.",
         "Izgatavojam roku darba lina izstrādājumus un tekstilu, ko šuj cilvēki ar invaliditāti. "
         "Piedāvājam ēdināšanu pasākumiem ar vietējiem produktiem.",
         "Meklējam pircējus un veikalus mūsu izstrādājumiem Polijā. "
         "Vēlamies mācīties no Polijas sociālo kooperatīvu pieredzes darba integrācijā.",
         (("offer", "distribution", "Lina audumi un tekstilizstrādājumi: meklējam izplatītājus Polijā",
           "Latgales amatnieki piedāvā roku darba lina audumus un mēbeļu audumus."),),
         weight=3),
    Kind("public_authority", ("social_services",), ("{of} plānošanas reģions", "{of} attīstības aģentūra"),
         "Plānošanas reģions, kas koordinē pašvaldību sadarbību un reģiona attīstību.",
         "Vadām reģiona attīstības programmas un atbalstām uzņēmējdarbību. "
         "Mums ir pieredze Interreg projektu vadībā.",
         "Meklējam pieredzi sociālā iepirkuma ieviešanā pašvaldībās. "
         "Meklējam partnerus e-pārvaldes pakalpojumu attīstībai.",
         (("partnership", "partner_search_call", "Meklējam partnerus Interreg projektam par sociālo iepirkumu",
           "Plānošanas reģions {region} meklē pašvaldības un sociālos uzņēmumus kopīgam pieteikumam."),),
         weight=2),
    Kind("university", ("wood_furniture", "education"),
         (("Latvijas Biozinātņu un tehnoloģiju universitāte", "Zemgale"), ("Rīgas Tehniskā universitāte", "Rīga"),
          ("Vidzemes Augstskola", "Vidzeme")),
         "Universitāte ar koksnes materiālu un inženierzinātņu fakultātēm.",
         "Testējam koksnes materiālus un pētām koka būvniecību mūsu laboratorijā. "
         "Piedāvājam studentu prakses un kopīgus maģistra darbus ar uzņēmumiem.",
         "Meklējam uzņēmumus un klasterus Horizon Europe projektu konsorcijiem. "
         "Meklējam partneraugstskolas studentu apmaiņai.",
         (("partnership", "partner_search_call", "Meklējam partnerus Horizon Europe projektam par bioekonomiku",
           "Universitāte meklē uzņēmumus un klasterus kopīgam projekta pieteikumam."),)),
    Kind("business_support", ("ict", "creative"), ("{of} biznesa inkubators", "{of} uzņēmējdarbības centrs"),
         "Biznesa inkubators jaunuzņēmumiem un radošajām industrijām.",
         "Vadām pirmsinkubācijas un mentoringa programmu jaunuzņēmumiem. "
         "Piedāvājam kopstrādes telpas un kontaktus ar investoriem.",
         "Meklējam partnerus starptautiskai jaunuzņēmumu apmaiņai. "
         "Meklējam mentorus no Polijas un Lietuvas.",
         weight=2),
]

LT = [
    Kind("cluster", ("wood_furniture", "manufacturing"), ("{of} baldų klasteris", "{of} medienos klasteris"),
         "Baldų ir medienos apdirbimo įmonių klasteris, gaminantis eksportui.",
         "Gaminame baldų komponentus ir medžio plokštes: klijuotą skydą, beržo fanerą, MDF ir OSB plokštes. "
         "Gaminame baldus pagal užsakymą ir su partnerio prekės ženklu.",
         "Ieškome baldų gamintojų ir platintojų Lenkijoje, kuriems reikia medžio plokščių. "
         "Ieškome partnerių bendram dalyvavimui parodose Vokietijoje.",
         (("offer", "manufacturing_agreement", "Siūlome baldų komponentus ir beržo fanerą",
           "Baldų gamintojai iš regiono {region} tiekia fanerą, MDF plokštes ir detales pagal brėžinius."),),
         weight=4),
    Kind("cluster", ("ict",), ("{of} IRT klasteris", "{of} skaitmeninių inovacijų centras"),
         "Programinės įrangos ir e. prekybos įmonių klasteris.",
         "Kuriame programinę įrangą ir diegiame e. prekybos ir ERP sistemas gamybos įmonėms. "
         "Atliekame kibernetinio saugumo auditus.",
         "Ieškome pramonės klasterių, norinčių skaitmeninti gamybą. "
         "Ieškome partnerių Skaitmeninės Europos programos projektui.",
         (("offer", "technical_cooperation", "ERP ir MES sistemų diegimas gamybos įmonėms",
           "Klasterio įmonės iš regiono {region} diegia gamybos valdymo sistemas baldų ir maisto pramonei."),),
         weight=2),
    Kind("cluster", ("agrifood",), ("{of} maisto klasteris", "{of} maisto gamintojų asociacija"),
         "Pieno, duonos ir mėsos perdirbėjų klasteris.",
         "Gaminame pieno produktus, sūrius ir duonos gaminius iš Lietuvos ūkių. "
         "Turime bendrą logistiką ir sertifikuotą laboratoriją.",
         "Ieškome maisto produktų platintojų Lenkijoje ir Vokietijoje. "
         "Ieškome ekologiškų pakuočių tiekėjų.",
         weight=2),
    Kind("social_cooperative", ("social_economy",), ("Socialinė įmonė „{coop}“",),
         "Socialinė įmonė, įdarbinanti žmones su negalia.",
         "Gaminame medžio dirbinius ir tekstilę, kuriuos kuria žmonės su negalia. "
         "Teikiame valymo ir aplinkos tvarkymo paslaugas.",
         "Ieškome socialinių kooperatyvų iš Lenkijos patirties mainams. "
         "Ieškome pirkėjų mūsų gaminiams.",
         (("partnership", "research_consortium", "Ieškome partnerių Interreg projektui apie socialinį verslą",
           "Ieškome socialinių kooperatyvų ir savivaldybių iš Lenkijos ir Latvijos."),)),
    Kind("university", ("ict", "education"),
         (("Kauno technologijos universitetas", "Kaunas"), ("Vilniaus Gedimino technikos universitetas", "Vilnius")),
         "Technologijos universitetas su dirbtinio intelekto ir medžiagų mokslo laboratorijomis.",
         "Turime dirbtinio intelekto ir medžiagų tyrimų laboratorijas. "
         "Atliekame taikomuosius tyrimus kartu su įmonėmis.",
         "Ieškome pramonės partnerių Horizon Europe projektams. "
         "Ieškome universitetų studentų mainams.",
         weight=1),
]

EE = [
    Kind("business_support", ("ict",), (("Tallinna e-riigi kompetentsikeskus", "Harjumaa"),
                                        ("Tartu digiriigi arenduskeskus", "Tartumaa")),
         "Eesti e-riigi kogemust jagav kompetentsikeskus.",
         "Nõustame omavalitsusi e-teenuste, digitaalse isikutuvastuse ja X-tee andmevahetuse juurutamisel. "
         "Koolitame avaliku sektori töötajaid digipöördeks.",
         "Otsime omavalitsusi ja regioone Poolas ja Lätis, kes soovivad avalikke teenuseid digitaliseerida. "
         "Otsime partnereid Interregi projekti jaoks.",
         (("offer", "technical_cooperation", "E-riigi lahendused omavalitsustele ja regioonidele",
           "Aitame juurutada e-teenuseid, digitaalset isikutuvastust ja turvalist andmevahetust."),),
         weight=2),
    Kind("cluster", ("ict",), ("{of} IKT klaster",),
         "Tarkvara- ja küberturvalisuse ettevõtete klaster.",
         "Arendame tarkvara ja küberturvalisuse lahendusi tööstusele. "
         "Pakume andmeplatvorme ja koolitusi digipöörde toetamiseks.",
         "Otsime tootmisettevõtteid ja klastreid, kes vajavad digilahendusi. "
         "Otsime partnereid Digitaalse Euroopa programmist.",
         (("offer", "technical_cooperation", "Pakume digilahendusi klastritele ja VKEdele",
           "IKT klaster piirkonnast {region} pakub andmeplatvorme ja koolitusi digipöörde toetamiseks."),),
         weight=2),
    Kind("cluster", ("wood_furniture", "construction"), ("{of} puiduklaster",),
         "Puitmajade ja liimpuidu tootjate klaster.",
         "Toodame puitmaju ja liimpuittooteid. "
         "Pakume puidu kuivatamist ja höövlimist.",
         "Otsime edasimüüjaid ja turustajaid Eesti puittoodetele Poolas. "
         "Otsime ülikoole puitehituse uuringuteks.",
         (("request", "distribution", "Otsime turustajaid Eesti puittoodetele Poolas",
           "Puidutööstuse klaster otsib edasimüüjaid ja turustajaid Poola turul."),),
         weight=2),
    Kind("university", ("ict", "education"), (("Tallinna Tehnikaülikool", "Harjumaa"), ("Tartu Ülikool", "Tartumaa")),
         "Ülikool, mis uurib e-valitsemist ja tehisintellekti.",
         "Uurime e-valitsemist ja tehisintellekti avalikus sektoris. "
         "Pakume magistriõpet ja koolitusi avaliku sektori juhtidele.",
         "Otsime partnereid Horizon Europe konsortsiumidesse. "
         "Otsime ettevõtteid üliõpilaste praktikaks."),
    Kind("ngo", ("social_economy",), ("MTÜ {coop}",),
         "Sotsiaalsete ettevõtete võrgustik.",
         "Koolitame sotsiaalseid ettevõtteid ja hindame nende mõju. "
         "Jagame sotsiaalse mõju mõõtmise metoodikat.",
         "Otsime Poola ja Läti sotsiaalseid kooperatiive kogemuste vahetamiseks.",
         (("partnership", "partner_search_call", "Otsime partnereid ringmajanduse projekti jaoks",
           "Otsime klastreid ja ülikoole Poolast ja Lätist ühise taotluse koostamiseks."),)),
]

DE = [
    Kind("cluster", ("maritime", "cleantech"), ("Maritimes Cluster {region}",),
         "Netzwerk der maritimen Wirtschaft mit Werften, Zulieferern und Häfen.",
         "Wir entwickeln Wasserstoff- und Elektroantriebe für Fähren und Arbeitsschiffe. "
         "Wir bieten Zugang zu 300 Mitgliedern aus Schiffbau und Zulieferindustrie.",
         "Wir suchen Werften und Zulieferer für Stahlbau und Schweißarbeiten im Ostseeraum. "
         "Wir suchen Partner für ein Interreg-Projekt zur grünen Schifffahrt.",
         (("request", "subcontracting", "Zulieferer für Stahlbau und Schweißarbeiten gesucht",
           "Werften unseres Clusters suchen Partner für Sektionsbau und Schweißarbeiten."),),
         weight=2, regions=("Hamburg", "Schleswig-Holstein", "Mecklenburg-Vorpommern")),
    Kind("cluster", ("wood_furniture",), ("Holzcluster {region}",),
         "Netzwerk von Möbelhandel, Einkaufsverbänden und Holzverarbeitern.",
         "Wir öffnen den Zugang zu Möbelhandelsketten und Einkaufsverbänden in Deutschland. "
         "Wir beraten zu Normen und Zertifizierung von Möbeln.",
         "Wir suchen Möbelhersteller aus Polen und dem Baltikum für Eigenmarken des Handels. "
         "Wir suchen Lieferanten von Birkensperrholz.",
         (("request", "manufacturing_agreement", "Möbelhersteller für Eigenmarken gesucht",
           "Handelsketten suchen Hersteller von Polstermöbeln und Kastenmöbeln im Ostseeraum."),)),
    Kind("cluster", ("health",), ("Gesundheitswirtschaft {region}",),
         "Cluster der Gesundheitswirtschaft mit Kliniken, Medizintechnik und Forschung.",
         "Wir vermitteln Kliniken für Pilotprojekte mit Medizintechnik. "
         "Wir beraten zur Zulassung von Medizinprodukten.",
         "Wir suchen Start-ups der Medizintechnik und digitale Gesundheitslösungen aus dem Baltikum."),
    Kind("university", ("energy", "maritime"), (("Hochschule Wismar", "Mecklenburg-Vorpommern"),
                                                ("Fachhochschule Kiel", "Schleswig-Holstein")),
         "Hochschule für angewandte Wissenschaften.",
         "Wir forschen zu erneuerbaren Energien und Schiffstechnik. "
         "Wir betreuen Abschlussarbeiten und Praktika mit Unternehmen.",
         "Wir suchen Partner für Konsortien in Horizon Europe."),
    Kind("cluster", ("energy",), ("Energiecluster {region}",),
         "Netzwerk für Windenergie, Speicher und Energiegemeinschaften.",
         "Wir teilen Know-how zu Wärmespeichern und Energiegemeinschaften. "
         "Wir beraten Kommunen bei Wärmenetzen und Windenergie auf See.",
         "Wir suchen Kommunen und Cluster für Projekte zu Energiespeichern."),
]

EN = [
    Kind("cluster", ("cleantech", "bioeconomy"), ("{region} Cleantech Cluster",),
         "A cluster of circular economy companies and research labs.",
         "We recycle textiles and wood waste into new materials. "
         "Our member companies offer pilot sites for circular economy solutions.",
         "We look for wood and furniture companies with production waste to pilot recycling. "
         "We look for partners for a Horizon Europe proposal on the circular economy.",
         (("partnership", "research_consortium", "Partner search: circular economy consortium",
           "We look for clusters and universities to join a proposal on recycling wood and textile waste."),),
         weight=2),
    Kind("cluster", ("health", "ict"), ("{region} Health Tech Cluster",),
         "Digital health companies, hospitals and universities working together.",
         "Our members build telemedicine and digital health solutions for ageing regions. "
         "We offer testbeds in hospitals and care homes.",
         "We look for public authorities and hospitals in the Baltic states for pilots.",
         (("offer", "technical_cooperation", "Testbeds for digital health innovations",
           "Our cluster in {region} offers test sites in hospitals and care homes."),)),
    Kind("cluster", ("maritime",), ("{region} Maritime Cluster",),
         "Ports, shipping companies and maritime technology firms.",
         "We share know-how on port logistics and autonomous shipping. "
         "We offer pilot sites in our ports.",
         "We look for shipyards in Poland and the Baltic states to retrofit vessels.",
         (("request", "commercial_agency", "Looking for commercial agents in Poland and the Baltic states",
           "Maritime technology firms of our cluster seek agents to represent their products."),)),
    Kind("ngo", ("social_economy",), ("{region} Social Enterprise Network",),
         "A network of work integration social enterprises.",
         "We share work integration models and social impact measurement. "
         "We train municipalities in social procurement.",
         "We look for social cooperatives and municipalities to exchange good practice."),
    Kind("university", ("education", "cleantech"), ("{region} University of Applied Sciences",),
         "A university of applied sciences with labs for industry.",
         "We run applied research labs on materials and energy. "
         "Our students do projects and placements in companies.",
         "We look for companies and clusters for joint research projects."),
]

KINDS: dict[str, list[Kind]] = {"PL": PL, "LV": LV, "LT": LT, "EE": EE, "DE": DE}


def kinds_of(country: str) -> list[Kind]:
    """The organisations of a country (the English-writing ones for the countries without their own)."""
    return KINDS.get(country, EN)
