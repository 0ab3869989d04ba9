"""Demo content for a fresh site: a week of an invented war-news blog.

Every name, place, outlet and sentence here is invented for sitrep. The conflict is between the
fictional states of Northmark and Vessary over the Kalder river valley; the outlets do not exist.
"""

EDITOR = {"username": "editor", "password": "sitrep-demo", "signature": "Desk Editor"}

OUTLETS = {
    "Harbor Ledger": "harborledger.example",
    "Meridian Wire": "meridianwire.example",
    "Northmark Daily Courier": "ndcourier.example",
    "Continental Review": "contreview.example",
    "Radio Free Estuary": "rfestuary.example",
    "Lowland Times": "lowlandtimes.example",
    "Granite Defense Weekly": "granitedefense.example",
}

# The registry entry of each outlet: (country, language, ownership, the editors' note).
OUTLET_FACTS = {
    "Harbor Ledger": ("Estuary Republic", "English", "Independent, reader-owned", ""),
    "Meridian Wire": (
        "International",
        "English",
        "News agency",
        "Fast and usually right on facts; early casualty figures are often revised.",
    ),
    "Northmark Daily Courier": (
        "Northmark",
        "Northmarkish",
        "State-affiliated",
        "Carries the Northmark government line; its claims about the front need a second source.",
    ),
    "Continental Review": ("Lowlands", "English", "Foundation-funded magazine", ""),
    "Radio Free Estuary": (
        "Estuary Republic",
        "Vessarian",
        "Government-funded broadcaster",
        "Good on the ground in Vessary; its own government pays for it.",
    ),
    "Lowland Times": ("Lowlands", "English", "Private, family-owned", ""),
    "Granite Defense Weekly": (
        "Lowlands",
        "English",
        "Trade press",
        "Specialist defence reporting; careful with equipment claims.",
    ),
}

# (day, "HH:MM", headline, [clips], note, [labels]); day 0 is today, 6 is six days ago.
# A clip is (outlet, authors, source headline, slug, [paragraphs]).
POSTS = [
    (
        6,
        "07:10",
        "Vessary Moves Armour Toward The Kalder Crossings",
        [
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Satellite images show tank columns nearing Kalder bridges",
                "vessary-armour-kalder",
                [
                    "Commercial satellite images taken on Sunday show at least forty armoured vehicles parked in orchards two kilometres from the Kalder river, near the three road bridges that link the valley to Northmark.",
                    "Analysts who reviewed the images said the vehicles were dispersed under tree cover, a sign that the units expect to stay for more than a few days.",
                ],
            )
        ],
        "The bridges are the whole story in this valley. Whoever holds them decides the pace of everything else.",
        ["Vessary", "Kalder Valley"],
    ),
    (
        6,
        "09:45",
        "Northmark Calls Up Two Reserve Brigades",
        [
            (
                "Northmark Daily Courier",
                "Tomas Quill",
                "Defence ministry recalls reservists in four eastern districts",
                "reserve-brigades",
                [
                    "The defence ministry on Sunday recalled reservists born between 1988 and 1994 in the four eastern districts, enough to fill two brigades, according to officials briefed on the order.",
                    "Reservists were told to report to depots by Wednesday with their own boots and winter clothing, a detail that drew criticism on social media.",
                ],
            )
        ],
        "Bring your own boots is not a sentence any army wants to see in print.",
        ["Northmark", "Mobilisation"],
    ),
    (
        6,
        "13:20",
        "The Concord Of Nine Asks Both Sides To Pull Back",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "Mediators propose a ten-kilometre separation zone along the Kalder",
                "concord-separation-zone",
                [
                    "Envoys from the Concord of Nine proposed on Sunday that both armies withdraw ten kilometres from the Kalder river and allow unarmed monitors to patrol the valley floor.",
                    'Neither capital has answered in public. A diplomat involved in the talks said the proposal was meant to "buy a week, not solve a war."',
                ],
            )
        ],
        "Buying a week is not nothing. But monitors without a mandate to report violations are just spectators.",
        ["Diplomacy", "Concord of Nine"],
    ),
    (
        6,
        "16:05",
        "Grey Banner Militia Claims Attack On Rail Depot",
        [
            (
                "Harbor Ledger",
                "Jonah Okafor-Lind",
                "Fire at Tolsk rail depot; militia posts video",
                "tolsk-rail-depot",
                [
                    "A fire burned for six hours at the rail depot in Tolsk on Sunday after what local officials described as an explosion in a fuel wagon.",
                    "The Grey Banner Militia posted a short video on its channel claiming responsibility. The footage could not be independently verified.",
                ],
            )
        ],
        "If this was the militia, it is the first time they have hit anything this far from the border.",
        ["Grey Banner Militia", "Tolsk"],
    ),
    (
        6,
        "20:40",
        "Fuel Queues Return To Port Arveld",
        [
            (
                "Lowland Times",
                "Priya Castellane",
                "Drivers wait hours as Port Arveld stations ration petrol",
                "port-arveld-fuel",
                [
                    "Lines of cars stretched for several blocks outside petrol stations in Port Arveld on Sunday evening as operators limited sales to twenty litres per vehicle.",
                    "The city's fuel comes by rail through Tolsk.",
                ],
            )
        ],
        "Follow the rail lines. It explains this story and the one above it.",
        ["Port Arveld", "Economy"],
    ),
    (
        5,
        "06:55",
        "Overnight Shelling Reported Near Merrin Gap",
        [
            (
                "Radio Free Estuary",
                "Mateo Vrana",
                "Villages near Merrin Gap report night of artillery fire",
                "merrin-gap-shelling",
                [
                    "Residents of three villages below Merrin Gap said artillery fire continued from around midnight until dawn on Monday, with at least a dozen houses damaged.",
                    "A regional health official said two people were treated for shrapnel wounds. No deaths were reported.",
                ],
            )
        ],
        "Merrin Gap is the only pass north of the valley that can take heavy trucks in winter. Watch it.",
        ["Merrin Gap", "Artillery"],
    ),
    (
        5,
        "08:30",
        "Vessary Says The Shelling Was Counter-Battery Fire",
        [
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Vessary military: overnight fire targeted Northmark guns",
                "vessary-counter-battery",
                [
                    "A spokesman for the Vessary general staff said on Monday that its artillery had fired only at Northmark gun positions that had shelled Vessary border posts earlier in the night.",
                    "He did not provide evidence and declined to say how many rounds were fired.",
                ],
            )
        ],
        "Both sides will say they fired second. They always do.",
        ["Vessary", "Artillery"],
    ),
    (
        5,
        "10:15",
        "Northmark Parliament Debates Emergency Powers",
        [
            (
                "Northmark Daily Courier",
                "Hana Sorel",
                "Emergency powers bill clears first reading by six votes",
                "emergency-powers",
                [
                    "A bill that would let the government requisition trucks, fuel and warehouses without compensation for ninety days cleared its first reading in parliament on Monday by six votes.",
                    "Opposition members said the bill lacked a sunset clause strong enough to prevent it being renewed indefinitely.",
                ],
            )
        ],
        "Six votes is a thin margin for a country that says it is united.",
        ["Northmark", "Politics"],
    ),
    (
        5,
        "12:50",
        "Analysis: Why The Kalder Valley Matters",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "The valley that feeds two countries",
                "why-kalder-matters",
                [
                    "The Kalder valley grows roughly a third of the grain eaten in both Northmark and Vessary, and its dams supply electricity to cities hundreds of kilometres away.",
                    "For decades the river was a border that neither side needed to defend, because both depended on it working.",
                ],
            ),
            (
                "Granite Defense Weekly",
                "Rolf Eastmere",
                "Terrain study: the Kalder favours the defender",
                "kalder-terrain-study",
                [
                    "Steep banks on the northern side and a flood plain on the southern side mean that any force crossing from the south must move across open ground within range of the heights.",
                    "Military planners on both sides have studied the same maps for forty years.",
                ],
            ),
        ],
        "Two good pieces that read well together. Geography does not care about speeches.",
        ["Kalder Valley", "Analysis"],
    ),
    (
        5,
        "15:35",
        "Aid Convoy Turned Back At Checkpoint",
        [
            (
                "Harbor Ledger",
                "Jonah Okafor-Lind",
                "Relief trucks wait a day, then return to Port Arveld",
                "aid-convoy-turned-back",
                [
                    "Twelve trucks carrying flour, blankets and medicine returned to Port Arveld on Monday after waiting more than twenty hours at a checkpoint outside Tolsk.",
                    "Drivers said officers at the checkpoint asked for a permit that no ministry has so far issued.",
                ],
            )
        ],
        "A permit that does not exist yet is a very effective way to say no without saying no.",
        ["Humanitarian", "Tolsk"],
    ),
    (
        5,
        "19:10",
        "Concord Envoy Arrives In The Northmark Capital",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "Envoy Lindqvist lands for talks, says 'every day counts'",
                "envoy-arrives",
                [
                    "The Concord of Nine's special envoy arrived in the Northmark capital on Monday evening for two days of meetings with the prime minister and the chief of the general staff.",
                    '"Every day counts," the envoy told reporters at the airport before leaving without taking questions.',
                ],
            )
        ],
        None,
        ["Diplomacy", "Concord of Nine", "Northmark"],
    ),
    (
        4,
        "07:25",
        "Power Cuts Hit Eastern Northmark After Dam Line Fails",
        [
            (
                "Lowland Times",
                "Priya Castellane",
                "Half a million without power after transmission line from Kalder dam trips",
                "power-cuts-east",
                [
                    "About half a million homes in eastern Northmark lost power before dawn on Tuesday after the main transmission line from the upper Kalder dam tripped.",
                    "The grid operator said it was investigating the cause and would not speculate on whether the line had been damaged deliberately.",
                ],
            )
        ],
        "Nobody is saying the word sabotage yet. Give it a day.",
        ["Northmark", "Infrastructure", "Kalder Valley"],
    ),
    (
        4,
        "09:00",
        "Grey Banner Militia Denies Dam Line Attack",
        [
            (
                "Radio Free Estuary",
                "Mateo Vrana",
                "Militia statement: 'We did not touch the power line'",
                "militia-denies-dam",
                [
                    'In a statement posted on Tuesday morning, the Grey Banner Militia denied any role in the failure of the transmission line, calling the outage "a failure of a government that cannot keep the lights on."',
                    "The group claimed the rail depot fire on Sunday within hours.",
                ],
            )
        ],
        "The quick claim on Sunday and the quick denial today are both worth noting.",
        ["Grey Banner Militia", "Infrastructure"],
    ),
    (
        4,
        "11:40",
        "Vessary Closes Its Airspace Over The Border Provinces",
        [
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Civil flights banned within 80 km of Northmark border",
                "vessary-airspace",
                [
                    'Vessary\'s aviation authority closed the airspace over its three border provinces to civilian flights on Tuesday, citing "military activity."',
                    "Two regional airlines cancelled all flights to the border cities until further notice.",
                ],
            )
        ],
        "Airspace closures come before air operations, not after.",
        ["Vessary", "Air War"],
    ),
    (
        4,
        "14:15",
        "Northmark Receives First Air-Defence Systems From Partners",
        [
            (
                "Granite Defense Weekly",
                "Rolf Eastmere",
                "Short-range air defence batteries delivered by rail",
                "air-defence-delivered",
                [
                    "Two short-range air defence batteries arrived in Northmark by rail on Tuesday, the first deliveries under an agreement signed in the spring, according to a defence official.",
                    "The official said crews had trained on the systems abroad for six weeks and the batteries would be operational within days.",
                ],
            )
        ],
        "Six weeks of training is short. We will find out how short.",
        ["Northmark", "Air War", "Arms Deliveries"],
    ),
    (
        4,
        "17:50",
        "Tolsk Mayor Orders Schools Closed",
        [
            (
                "Harbor Ledger",
                "Jonah Okafor-Lind",
                "Tolsk schools shut 'until the situation is clear'",
                "tolsk-schools-closed",
                [
                    'The mayor of Tolsk ordered all schools in the city closed from Wednesday, saying the decision would last "until the situation is clear."',
                    "Parents queued at the main bus station on Tuesday evening to send children to relatives further west.",
                ],
            )
        ],
        None,
        ["Tolsk", "Humanitarian"],
    ),
    (
        4,
        "21:05",
        "Talks End Without Agreement",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "No deal after first day of Concord talks",
                "talks-no-agreement",
                [
                    "The first day of talks between the Concord envoy and Northmark's leadership ended without an agreement on Tuesday night, according to two officials present.",
                    "One said the separation zone had not been rejected outright, but that Northmark wanted monitors on the Vessary side first.",
                ],
            )
        ],
        "Not rejected outright is diplomatic language for rejected, politely.",
        ["Diplomacy", "Concord of Nine"],
    ),
    (
        3,
        "06:40",
        "Drones Reported Over Port Arveld Harbour",
        [
            (
                "Lowland Times",
                "Priya Castellane",
                "Air raid sirens sound in Port Arveld for the first time",
                "drones-port-arveld",
                [
                    "Air raid sirens sounded in Port Arveld early on Wednesday for the first time since the crisis began, after residents reported drones over the harbour.",
                    "The city's military administration said two drones were shot down over the water and there was no damage on land.",
                ],
            )
        ],
        "The new air defence batteries may have had their first night of work.",
        ["Port Arveld", "Air War", "Drones"],
    ),
    (
        3,
        "08:20",
        "Vessary Denies Sending Drones",
        [
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Vessary: 'We have no drones over Port Arveld'",
                "vessary-denies-drones",
                [
                    'Vessary\'s foreign ministry denied on Wednesday that its forces had launched drones toward Port Arveld and suggested that the aircraft may have belonged to "criminal groups operating in the border area."'
                ],
            )
        ],
        "Criminal groups with drones that can fly two hundred kilometres. Sure.",
        ["Vessary", "Drones"],
    ),
    (
        3,
        "10:30",
        "Northmark Grain Exports Suspended",
        [
            (
                "Northmark Daily Courier",
                "Hana Sorel",
                "Government halts grain exports to protect domestic supply",
                "grain-exports-suspended",
                [
                    "Northmark's agriculture ministry suspended all grain exports on Wednesday for at least sixty days, saying it needed to protect domestic supplies while the harvest in the Kalder valley was at risk.",
                    "Traders said the announcement pushed up wheat prices on regional exchanges by more than eight percent within an hour.",
                ],
            )
        ],
        "This is how a valley war becomes everyone's problem.",
        ["Northmark", "Economy", "Kalder Valley"],
    ),
    (
        3,
        "13:10",
        "Round-Up: The View From Four Newsrooms",
        [
            (
                "Harbor Ledger",
                "Jonah Okafor-Lind",
                "In Tolsk, the bus station is the busiest place in town",
                "tolsk-bus-station",
                [
                    "By noon on Wednesday every seat on the westbound buses from Tolsk had been sold until Friday, and people were offering drivers cash to stand in the aisle."
                ],
            ),
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Vessary's border towns shrug off the sirens",
                "vessary-border-towns",
                [
                    "In the Vessary border town of Halden, cafes were full on Wednesday and few residents said they expected the fighting to cross the river."
                ],
            ),
            (
                "Granite Defense Weekly",
                "Rolf Eastmere",
                "Counting the guns: what each side has in the valley",
                "counting-the-guns",
                [
                    "By our count, Vessary has moved roughly three artillery battalions within range of the Kalder since the weekend; Northmark has about two, plus the reservists still reporting to depots."
                ],
            ),
            (
                "Radio Free Estuary",
                "Mateo Vrana",
                "Militia recruiting posters appear in Merrin Gap",
                "militia-posters",
                [
                    'Posters bearing the Grey Banner Militia\'s emblem appeared overnight on walls in the market square of Merrin Gap, offering "wages, food and purpose" to young men who join.'
                ],
            ),
        ],
        "Four snapshots from one day. The contrast between Tolsk and Halden says a lot about who thinks they are about to be attacked.",
        ["Round-Up", "Kalder Valley"],
    ),
    (
        3,
        "16:45",
        "Red Cross Of The Estuary Opens Shelters",
        [
            (
                "Radio Free Estuary",
                "Mateo Vrana",
                "Shelters open in schools and sports halls west of Tolsk",
                "shelters-open",
                [
                    "The Red Cross of the Estuary opened eleven shelters in schools and sports halls west of Tolsk on Wednesday, with space for about four thousand people.",
                    "Volunteers said most arrivals so far were women, children and elderly people.",
                ],
            )
        ],
        None,
        ["Humanitarian"],
    ),
    (
        3,
        "20:30",
        "Night Crossing Attempt Repelled, Northmark Says",
        [
            (
                "Northmark Daily Courier",
                "Tomas Quill",
                "Army: Vessary patrol boats turned back on the Kalder",
                "night-crossing-repelled",
                [
                    "Northmark's general staff said on Wednesday night that its troops had fired on four Vessary patrol boats attempting to land on the northern bank of the Kalder near the middle bridge.",
                    "The statement said the boats withdrew after a short exchange of fire and that there were no Northmark casualties.",
                ],
            )
        ],
        "First claim of an actual crossing attempt. Treat it carefully until there is a second source.",
        ["Kalder Valley", "Northmark", "Vessary"],
    ),
    (
        2,
        "07:05",
        "Vessary: 'There Was No Crossing Attempt'",
        [
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Vessary says boats were on routine river patrol",
                "no-crossing-attempt",
                [
                    "Vessary's general staff said on Thursday that the boats fired on overnight had been conducting a routine patrol in Vessary's half of the river and never approached the northern bank.",
                    "It released a map showing what it said was the boats' route.",
                ],
            )
        ],
        "And there is the second source, saying the opposite. Both maps cannot be true.",
        ["Vessary", "Kalder Valley"],
    ),
    (
        2,
        "09:20",
        "Wheat Prices Keep Climbing",
        [
            (
                "Lowland Times",
                "Priya Castellane",
                "Bakers in three countries warn of bread price rises",
                "wheat-prices",
                [
                    "Bakers' associations in three neighbouring countries warned on Thursday that bread prices would rise within weeks if Northmark's export ban lasted the full sixty days.",
                    "Wheat futures closed at their highest level in four years.",
                ],
            )
        ],
        None,
        ["Economy"],
    ),
    (
        2,
        "11:35",
        "The Envoy Crosses To Vessary",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "Concord envoy drives across the middle bridge for talks in Vessary",
                "envoy-crosses",
                [
                    "The Concord of Nine's envoy crossed the middle bridge over the Kalder by car on Thursday morning, escorted by unarmed monitors in white vehicles, on the way to talks in the Vessary capital.",
                    "It was the first crossing of the bridge by any official vehicle since Sunday.",
                ],
            )
        ],
        "A white car crossing the bridge is a better picture than anything either army has released this week.",
        ["Diplomacy", "Concord of Nine", "Vessary"],
    ),
    (
        2,
        "14:00",
        "Interview: A Reservist's First Week",
        [
            (
                "Northmark Daily Courier",
                "Hana Sorel",
                "'We have rifles and enthusiasm; we are waiting on the rest'",
                "reservist-interview",
                [
                    "A reservist who reported to a depot in the east on Monday said his unit had received rifles and helmets but not yet radios, body armour or enough trucks to move as a company.",
                    '"We have rifles and enthusiasm," he said. "We are waiting on the rest."',
                ],
            )
        ],
        "Honest reporting from the inside. The ministry will not like it, which is why it is worth reading.",
        ["Northmark", "Mobilisation"],
    ),
    (
        2,
        "16:25",
        "Militia Fighters Seen Near Merrin Gap",
        [
            (
                "Radio Free Estuary",
                "Mateo Vrana",
                "Armed men in grey armbands set up roadblock on pass road",
                "militia-roadblock",
                [
                    "Drivers on the road over Merrin Gap reported on Thursday that armed men wearing grey armbands had set up a roadblock below the pass and were checking documents.",
                    "Police in the district said they were aware of the reports and had sent officers to the area.",
                ],
            )
        ],
        "This is the pass I said to watch on Monday.",
        ["Merrin Gap", "Grey Banner Militia"],
    ),
    (
        2,
        "19:15",
        "Northmark Shoots Down Reconnaissance Drone",
        [
            (
                "Granite Defense Weekly",
                "Rolf Eastmere",
                "Wreckage of long-range drone recovered near Tolsk",
                "drone-wreckage",
                [
                    "Northmark's air force said it had shot down a long-range reconnaissance drone over Tolsk on Thursday and recovered most of the airframe.",
                    "Photographs of the wreckage released by the ministry show markings that appear to have been deliberately removed.",
                ],
            )
        ],
        "Removed markings tell you something too.",
        ["Drones", "Air War", "Tolsk"],
    ),
    (
        1,
        "07:30",
        "Quiet Night Along The Kalder",
        [
            (
                "Harbor Ledger",
                "Jonah Okafor-Lind",
                "No shelling reported for the first time since Sunday",
                "quiet-night",
                [
                    "Residents along the Kalder reported no shelling overnight into Friday for the first time since the weekend, and local officials said traffic had resumed on two of the three bridges.",
                    "The middle bridge remained closed to civilian traffic while the Concord monitors used it.",
                ],
            )
        ],
        "One quiet night is not a trend. But it is the first good news in a week.",
        ["Kalder Valley"],
    ),
    (
        1,
        "09:45",
        "Draft Text Of A Separation Agreement Circulates",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "Leaked draft: monitors on both banks, heavy weapons 15 km back",
                "draft-agreement",
                [
                    "A draft of a separation agreement seen by the Continental Review would require both armies to move heavy weapons fifteen kilometres from the Kalder and allow monitors on both banks.",
                    "The draft is dated Thursday and marked as a working text. Officials on both sides declined to comment.",
                ],
            )
        ],
        "Monitors on both banks was Northmark's condition on Tuesday. Somebody moved.",
        ["Diplomacy", "Concord of Nine"],
    ),
    (
        1,
        "12:20",
        "Vessary Opposition Leader Calls For Talks",
        [
            (
                "Meridian Wire",
                "Ilse Brandvold",
                "Opposition: 'Nobody in Halden wants this war'",
                "opposition-calls-talks",
                [
                    'The leader of Vessary\'s largest opposition party called on Friday for the government to sign the separation agreement "today, not next week," saying nobody in the border town of Halden wanted a war.',
                    "The governing coalition has a majority of eleven seats.",
                ],
            )
        ],
        None,
        ["Vessary", "Politics"],
    ),
    (
        1,
        "15:00",
        "Police Clear The Merrin Gap Roadblock",
        [
            (
                "Radio Free Estuary",
                "Mateo Vrana",
                "Roadblock gone, three detained after standoff",
                "roadblock-cleared",
                [
                    "Police cleared the militia roadblock below Merrin Gap on Friday after a standoff of several hours, detaining three men and seizing two rifles, according to a district police statement.",
                    "Others at the roadblock left on foot toward the forest before police arrived, witnesses said.",
                ],
            )
        ],
        "Three detained, the rest walked into the forest. This is not over.",
        ["Merrin Gap", "Grey Banner Militia"],
    ),
    (
        1,
        "18:40",
        "Grid Operator Confirms Dam Line Was Cut",
        [
            (
                "Lowland Times",
                "Priya Castellane",
                "Investigators find tower bolts removed on Kalder line",
                "dam-line-cut",
                [
                    "Northmark's grid operator said on Friday that investigators had found bolts removed from the base of a transmission tower on the line from the upper Kalder dam, causing it to lean and the line to trip.",
                    "The operator said it had handed its findings to police.",
                ],
            )
        ],
        "I said give it a day. It took three.",
        ["Infrastructure", "Northmark"],
    ),
    (
        1,
        "21:50",
        "Markets Rally On Talk Of A Deal",
        [
            (
                "Lowland Times",
                "Priya Castellane",
                "Wheat futures fall eleven percent on separation agreement reports",
                "markets-rally",
                [
                    "Wheat futures fell eleven percent on Friday, their biggest one-day drop in two years, after reports of a draft separation agreement for the Kalder valley.",
                    "Traders cautioned that prices would jump again if talks failed.",
                ],
            )
        ],
        None,
        ["Economy"],
    ),
    (
        0,
        "06:50",
        "Both Sides Pull Artillery Back, Monitors Say",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "First monitor report: guns moving away from the river",
                "artillery-pulled-back",
                [
                    "The Concord monitors said in their first public report on Saturday that they had observed artillery units on both sides of the Kalder moving away from the river overnight.",
                    "The report said the monitors could not yet confirm the distances involved.",
                ],
            )
        ],
        "If this holds, the Concord earned its week.",
        ["Kalder Valley", "Concord of Nine"],
    ),
    (
        0,
        "08:35",
        "Northmark Releases Reservists Born Before 1990",
        [
            (
                "Northmark Daily Courier",
                "Tomas Quill",
                "Older reservists sent home as tension eases",
                "reservists-released",
                [
                    "The defence ministry said on Saturday that reservists born before 1990 could return home, while younger reservists would remain at their depots for at least another two weeks.",
                    'The ministry said the decision reflected "the improved situation on the river."',
                ],
            )
        ],
        None,
        ["Northmark", "Mobilisation"],
    ),
    (
        0,
        "10:10",
        "What The Militia Does Next",
        [
            (
                "Granite Defense Weekly",
                "Rolf Eastmere",
                "A ceasefire between armies does not bind the Grey Banner",
                "what-militia-next",
                [
                    "Any agreement between Northmark and Vessary says nothing about the Grey Banner Militia, which answers to neither government and has shown it can strike rail lines and set up roadblocks.",
                    "Its leaders have every reason to keep the valley unsettled if the armies step back.",
                ],
            )
        ],
        "This is my biggest worry for the coming months. Agreements between states do not bind people who reject both states.",
        ["Grey Banner Militia", "Analysis"],
    ),
    (
        0,
        "12:30",
        "Tolsk Schools To Reopen Monday",
        [
            (
                "Harbor Ledger",
                "Jonah Okafor-Lind",
                "Mayor: classes resume, shelters stay open",
                "tolsk-schools-reopen",
                [
                    "The mayor of Tolsk said on Saturday that schools would reopen on Monday, though shelters west of the city would stay open for families who did not yet want to return.",
                    "Buses back into Tolsk on Saturday morning were about half full.",
                ],
            )
        ],
        "Half-full buses going home. That is the picture of the week.",
        ["Tolsk", "Humanitarian"],
    ),
    (
        0,
        "14:45",
        "Separation Agreement To Be Signed Sunday",
        [
            (
                "Continental Review",
                "Ada Ferrante",
                "Signing set for the middle bridge at noon",
                "signing-sunday",
                [
                    "Both governments will sign the separation agreement at noon on Sunday in a tent on the middle bridge over the Kalder, the Concord of Nine announced on Saturday afternoon.",
                    'The envoy said the agreement was "a beginning, not an ending."',
                ],
            )
        ],
        "A beginning, not an ending. For once I agree with a diplomat's line.",
        ["Diplomacy", "Concord of Nine", "Kalder Valley"],
    ),
]

# Comments per post index: (key, parent key or None, kind, name, minutes after post, body).
# kind: "named", "anon" (anonymous) or "account" (a signed-in reader; by username).
COMMENTS = {
    0: [
        (
            "a",
            None,
            "named",
            "Harlan Vey",
            25,
            'https://meridianwire.example/analysis/bridges-of-the-kalder\n\n"Of the three road bridges, only the middle one can carry tanks without engineering work; the other two were built for farm traffic."\n\nSo really it is one bridge, not three.',
        ),
        ("b", "a", "anon", "", 48, "Good find. That changes the math a lot."),
        (
            "c",
            "a",
            "account",
            "reader_kestrel",
            70,
            "Engineers can reinforce a bridge in a day if nobody is shooting at them. That is the catch.",
        ),
        ("d", "c", "named", "Harlan Vey", 95, "And somebody always is shooting at them."),
    ],
    2: [
        (
            "a",
            None,
            "anon",
            "",
            40,
            "Ten kilometres is nothing with modern artillery. The guns reach twice that.",
        ),
        (
            "b",
            "a",
            "named",
            "Oskar Lunde",
            62,
            "The point is not range, it is time. Ten kilometres means any move forward is visible for an hour before it matters.",
        ),
        ("c", None, "account", "marisol_reads", 90, "Who pays for the monitors? Nobody ever says."),
    ],
    8: [
        (
            "a",
            None,
            "named",
            "Oskar Lunde",
            30,
            "The terrain piece is excellent. *Forty years* of studying the same maps is the line that stays with me.",
        ),
        (
            "b",
            "a",
            "account",
            "reader_kestrel",
            55,
            "The maps have not changed but the drones have. Open ground under drone observation is a different thing from open ground in 1985.",
        ),
        ("c", "b", "anon", "", 80, "Exactly this. Nobody crosses open ground now."),
        (
            "d",
            "c",
            "named",
            "Tilde Marsh",
            100,
            "People said that about every war before this one too.",
        ),
        (
            "e",
            "d",
            "account",
            "reader_kestrel",
            130,
            "Fair, but the casualty figures from the last two border wars back it up.",
        ),
        ("f", "e", "anon", "", 150, "Source?"),
    ],
    11: [
        ("a", None, "anon", "", 20, "Sabotage. Calling it now."),
        ("b", "a", "account", "editor_reply", 0, ""),
    ],
    17: [
        (
            "a",
            None,
            "named",
            "Tilde Marsh",
            15,
            "I have family in Port Arveld. They said the sirens were the worst part, not the drones.",
        ),
        ("b", "a", "anon", "", 35, "Hope they are safe."),
        (
            "c",
            None,
            "account",
            "marisol_reads",
            50,
            "Two drones shot down on the first night is a decent record for brand-new crews.",
        ),
    ],
    20: [
        (
            "a",
            None,
            "named",
            "Harlan Vey",
            60,
            "Round-ups like this are why I read this site. Four sources, one page, and the note ties them together.",
        ),
        (
            "b",
            None,
            "account",
            "quiet_account",
            75,
            "Halden cafes full while Tolsk empties. Says it all.",
        ),
        ("c", "b", "anon", "", 110, "Or Halden knows something Tolsk does not."),
    ],
    22: [
        (
            "a",
            None,
            "anon",
            "",
            30,
            "Boats on a river at night, and both sides have a map. I trust neither map.",
        ),
        ("b", "a", "named", "Oskar Lunde", 45, "Wait for the monitors. That is what they are for."),
    ],
    29: [
        (
            "a",
            None,
            "account",
            "marisol_reads",
            40,
            "If this text is real, it is a big concession from Vessary.",
        ),
        (
            "b",
            "a",
            "named",
            "Tilde Marsh",
            70,
            "Or a big concession from Northmark, depending on which paragraph you read first.",
        ),
        ("c", None, "anon", "", 95, "Leaked on a Friday, signed by Sunday? We will see."),
    ],
    35: [
        (
            "a",
            None,
            "named",
            "Harlan Vey",
            22,
            "Agreed with the note. The militia is the wild card.",
        ),
        (
            "b",
            "a",
            "account",
            "quiet_account",
            41,
            "Militias need money. Follow that and you find out who wants the valley unsettled.",
        ),
    ],
    38: [
        ("a", None, "anon", "", 12, "Finally some good news."),
        (
            "b",
            None,
            "named",
            "Oskar Lunde",
            30,
            "A beginning, yes. The first month after a signing is when these things usually break.",
        ),
        (
            "c",
            "b",
            "account",
            "marisol_reads",
            44,
            "Which is why the monitors matter more after Sunday than before.",
        ),
    ],
}

# Reader accounts used by "account" comments: username -> public name ("" shows as Unknown).
READERS = {"reader_kestrel": "Kestrel", "marisol_reads": "Marisol", "quiet_account": ""}
EDITOR_REPLY = (
    "Nobody has said so officially yet. We will post the grid operator's findings as soon as "
    "they are public."
)

# Developing stories: (title, summary, [(post index, status, confirmed by, reason, hours after
# the post)]). The status log of each post reads in that order.
STORIES = [
    (
        "Standoff at the Kalder crossings",
        "Armour, artillery and a disputed night crossing on the river between Northmark and "
        "Vessary, day by day.",
        [
            (0, "confirmed", 2, "Seen in footage checked by two newsrooms.", 5),
            (5, "confirmed", 3, "Monitors and two outlets on the ground report the same.", 6),
            (6, "unconfirmed", 0, "Only the Vessary ministry says so.", 1),
            (22, "disputed", 0, "Vessary denies any crossing; nobody independent saw it.", 12),
            (23, "unconfirmed", 0, "A denial, from one side only.", 1),
            (29, "unconfirmed", 0, "Quiet nights are hard to confirm; we wait for monitors.", 1),
            (35, "confirmed", 2, "The monitors' report and a wire service agree.", 3),
        ],
    ),
    (
        "The dam line outage",
        "Power cuts in eastern Northmark after a transmission line from the Kalder dam failed.",
        [
            (11, "unconfirmed", 0, "The cause is not known yet.", 1),
            (12, "disputed", 0, "The militia's denial contradicts early official claims.", 2),
            (33, "confirmed", 1, "The grid operator itself confirms the line was cut.", 1),
            (11, "confirmed", 1, "The grid operator has since confirmed the line was cut.", 80),
        ],
    ),
]
# Corrections: (post index, what was wrong, hours after the post).
CORRECTIONS = [
    (11, "An earlier version said two provinces lost power; it was one.", 3),
]

# The demo's invented geography, placed in the open South Atlantic so that nobody mistakes it
# for a real place: (kind, latitude, longitude). Posts carrying a label of the same name are
# tagged with the place.
PLACES = {
    "Northmark": ("country", -38.0, -21.0),
    "Vessary": ("country", -43.5, -19.5),
    "Kalder Valley": ("region", -40.6, -20.1),
    "Tolsk": ("city", -39.2, -23.4),
    "Merrin Gap": ("city", -41.0, -18.6),
    "Port Arveld": ("city", -37.1, -17.8),
}

# The week's pictures, drawn by demo/pictures.py: {headline: (drawing, alt text, caption,
# credit, where)}; "lead" is the post's lead image, "text" puts it in the editor's own text.
PICTURES = {
    "Vessary Moves Armour Toward The Kalder Crossings": (
        "armour_map",
        "Map of the Kalder River border: red arrows show armour reported moving north from the Vessary side toward Kalder Bridge and Orsa Ford, both circled.",
        "Movements as reported on the first morning; none is confirmed.",
        "Map: our own",
        "lead",
    ),
    "Power Cuts Hit Eastern Northmark After Dam Line Fails": (
        "power_map",
        "Map of eastern Northmark: two shaded districts, east of Merrin Gap and around Port Arveld, were without power; the dam line runs across the north.",
        "",
        "Map: our own, from the grid operator's outage list",
        "lead",
    ),
    "Wheat Prices Keep Climbing": (
        "wheat_chart",
        "Line chart: wheat at the Port Arveld exchange rose from 212 to 297 marks a tonne over twelve sessions, dipping slightly twice.",
        "",
        "Chart: our own, from the exchange's published closes",
        "text",
    ),
    "Both Sides Pull Artillery Back, Monitors Say": (
        "pullback_map",
        "Map of the Kalder Valley with a blue line north of the river and a red line south of it: each side's guns are to stay behind its line.",
        "The lines as the monitors describe them.",
        "Map: our own",
        "lead",
    ),
}
