"""Writes acled_afpak_2025.csv: a hand-written, ACLED-format sample (31 columns) of Afghanistan and
Pakistan events in October–November 2025. Values are plausible but invented for testing; they are
not ACLED data. Run: python tests/data/acled/make_fixture.py"""

import csv
from pathlib import Path

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
PK_MIL = "Military Forces of Pakistan (2024-)"
AF_MIL = "Military Forces of Afghanistan (2021-)"
AF = ("4", "South Asia", "Afghanistan")
PK = ("586", "South Asia", "Pakistan")

ROWS = [
    ("AFG90101", "2025-10-09", 1, "Political violence", "Explosions/Remote violence", "Air/drone strike",
     f"{PK_MIL} Air Force", "", "State forces", "", "", "", "State forces only", "", AF, "Kabul", "Kabul", "",
     "Kabul", "34.5553", "69.2075", 1, "Tolo News; Reuters", "National-International",
     "On 9 October 2025, two explosions were heard in Kabul city. Afghan officials said a Pakistani "
     "air strike targeted a vehicle in the city; no casualties were reported.", 0, "", 1760400000),
    ("PAK90102", "2025-10-11", 1, "Political violence", "Battles", "Armed clash",
     PK_MIL, "Frontier Corps", "State forces", AF_MIL, "", "State forces", "State forces-State forces", "", PK,
     "Khyber Pakhtunkhwa", "Kurram", "Upper Kurram", "Kharlachi", "33.8022", "69.9338", 2,
     "Dawn; Express Tribune", "National",
     "On 11 October 2025, Pakistani and Afghan forces exchanged heavy fire along the border near "
     "Kharlachi (Kurram). The military said 23 soldiers were killed; Afghan officials gave higher figures.",
     23, "", 1760572800),
    ("AFG90103", "2025-10-11", 1, "Political violence", "Battles", "Armed clash",
     AF_MIL, "", "State forces", PK_MIL, "", "State forces", "State forces-State forces", "", AF,
     "Kunar", "Dangam", "", "Dangam", "34.9800", "71.4100", 2, "Pajhwok Afghan News", "National",
     "On 11 October 2025, Afghan forces attacked Pakistani border posts in Dangam district, Kunar. "
     "Nine Afghan fighters were reported killed.", 9, "", 1760572800),
    ("AFG90104", "2025-10-12", 1, "Political violence", "Battles", "Armed clash",
     AF_MIL, "", "State forces", PK_MIL, "", "State forces", "State forces-State forces", "", AF,
     "Helmand", "Dishu", "", "Bahram Chah", "29.4500", "64.0500", 1, "Tolo News", "National",
     "On 12 October 2025, Afghan and Pakistani border forces clashed near Bahram Chah, Helmand. "
     "Three people were killed.", 3, "", 1760659200),
    ("PAK90105", "2025-10-12", 1, "Strategic developments", "Strategic developments", "Other",
     "Government of Pakistan (2024-)", "", "External/Other forces", "", "", "", "External/Other forces only", "", PK,
     "Khyber Pakhtunkhwa", "Khyber", "Landi Kotal", "Torkham", "34.1147", "71.0847", 1,
     "Dawn; Geo News", "National",
     "On 12 October 2025, Pakistani authorities closed the Torkham border crossing to trade and "
     "pedestrian traffic after the cross-border fighting. [size=no report]", 0, "", 1760659200),
    ("AFG90106", "2025-10-15", 1, "Political violence", "Explosions/Remote violence", "Air/drone strike",
     f"{PK_MIL} Air Force", "", "State forces", "Civilians (Afghanistan)", "", "Civilians",
     "State forces-Civilians", "Civilian targeting", AF, "Kandahar", "Spin Boldak", "", "Spin Boldak",
     "31.0067", "66.3956", 1, "Tolo News; Ariana News; BBC", "National-International",
     "On 15 October 2025, Pakistani aircraft struck residential areas of Spin Boldak, Kandahar. "
     "Afghan officials said 15 civilians were killed and 80 wounded.", 15, "", 1760918400),
    ("PAK90107", "2025-10-15", 1, "Political violence", "Battles", "Armed clash",
     PK_MIL, "", "State forces", AF_MIL, "", "State forces", "State forces-State forces", "", PK,
     "Balochistan", "Chaman", "", "Chaman", "30.9236", "66.4512", 1, "ISPR; Dawn", "National",
     "On 15 October 2025, Afghan forces opened fire on Pakistani posts near Chaman; the military "
     "said four Pakistani soldiers were killed in the exchange, the \"Friendship Gate\" area was hit.",
     4, "", 1760918400),
    ("AFG90108", "2025-10-17", 1, "Political violence", "Explosions/Remote violence", "Air/drone strike",
     f"{PK_MIL} Air Force", "", "State forces", "Civilians (Afghanistan)", "", "Civilians",
     "State forces-Civilians", "Civilian targeting", AF, "Paktika", "Urgun", "", "Urgun", "32.9300",
     "69.1800", 2, "Pajhwok Afghan News; Khaama Press", "National",
     "On 17 October 2025, Pakistani air strikes hit houses in Urgun and Barmal districts of Paktika. "
     "Ten civilians, including local cricket players, were killed.", 10, "", 1761004800),
    ("PAK90109", "2025-10-19", 1, "Strategic developments", "Strategic developments", "Agreement",
     "Government of Pakistan (2024-)", "Government of Qatar; Government of Turkey", "External/Other forces",
     "Government of Afghanistan (2021-)", "", "External/Other forces",
     "External/Other forces-External/Other forces", "", PK, "Islamabad Capital Territory", "Islamabad",
     "", "Islamabad", "33.7215", "73.0433", 1, "Dawn; Al Jazeera", "National-International",
     "On 19 October 2025, the governments of Pakistan and Afghanistan agreed to an immediate "
     "ceasefire in talks mediated by Qatar and Turkey.", 0, "", 1761091200),
    ("PAK90110", "2025-10-15", 3, "Strategic developments", "Strategic developments", "Other",
     "Police Forces of Pakistan (2024-)", "", "State forces", "Civilians (Afghanistan)", "Refugees/IDPs (Afghanistan)",
     "Civilians", "State forces-Civilians", "", PK, "Balochistan", "Chaman", "", "Chaman", "30.9236",
     "66.4512", 1, "UNHCR; Dawn", "Other-National",
     "During October 2025, Pakistani authorities deported thousands of Afghan nationals through the "
     "Chaman crossing under the Illegal Foreigners Repatriation Plan.", 0, "", 1762300800),
    ("PAK90111", "2025-11-11", 1, "Political violence", "Explosions/Remote violence", "Suicide bomb",
     "TTP: Tehreek-i-Taliban Pakistan", "", "Rebel group", "Civilians (Pakistan)", "Lawyers (Pakistan)",
     "Civilians", "Rebel group-Civilians", "Civilian targeting", PK, "Islamabad Capital Territory",
     "Islamabad", "", "Islamabad - G-11", "33.6844", "72.9890", 1, "Dawn; The News; Reuters",
     "National-International",
     "On 11 November 2025, a suicide bomber detonated explosives outside the district court "
     "complex in G-11, Islamabad, killing 12 people and wounding 27.", 12, "", 1762992000),
    ("PAK90112", "2025-10-24", 1, "Demonstrations", "Protests", "Peaceful protest",
     "Protesters (Pakistan)", "Traders (Pakistan)", "Protesters", "", "", "", "Protesters only", "", PK,
     "Balochistan", "Chaman", "", "Chaman", "30.9236", "66.4512", 1, "Dawn", "National",
     "On 24 October 2025, traders in Chaman demonstrated against the continued closure of the "
     "border crossing. [size=no report]", 0, "crowd size=no report", 1761523200),
    ("AFG90113", "2025-11-06", 2, "Strategic developments", "Strategic developments", "Other",
     "Government of Afghanistan (2021-)", "", "External/Other forces", "", "", "", "External/Other forces only",
     "", AF, "Kabul", "Kabul", "", "Kabul", "34.5553", "69.2075", 1, "Tolo News", "National",
     "Around 6 November 2025 (week of), an Afghan delegation left Kabul for a new round of talks "
     "with Pakistan in Istanbul.", 0, "", 1762819200),
    ("PAK90114", "2025-10-20", 1, "Political violence", "Violence against civilians", "Attack",
     "Unidentified Armed Group (Pakistan)", "", "Political militia", "Civilians (Pakistan)", "", "Civilians",
     "Political militia-Civilians", "Civilian targeting", PK, "Khyber Pakhtunkhwa", "Bajaur", "Khar",
     "Khar", "34.7333", "71.5167", 1, "Dawn", "National",
     "On 20 October 2025, unidentified gunmen shot dead a tribal elder in Khar, Bajaur.", 1, "", 1761264000),
]


def main() -> None:
    out = Path(__file__).with_name("acled_afpak_2025.csv")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in ROWS:
            flat = []
            for v in row:
                flat.extend(v if isinstance(v, tuple) else (v,))
            flat.insert(2, flat[1][:4])  # year
            assert len(flat) == len(COLUMNS), (flat[0], len(flat))
            writer.writerow(flat)


if __name__ == "__main__":
    main()
