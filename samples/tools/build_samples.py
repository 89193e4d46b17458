#!/usr/bin/env python3
"""Regenerate the newsfold sample corpus in samples/ (all files except the WARC,
which tools/make_warc.py writes; it imports the article texts and page
templates from this module).

Standard library only, except that the .zst file is written by the `zstd`
command-line tool.  Output is deterministic (gzip mtime 0, fixed zstd level).

All outlets, people, places and events are fictional.
"""
import gzip
import html
import json
import os
import re
import subprocess
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "corpus")


def paras(s):
    """Split a triple-quoted block into paragraphs (blank-line separated)."""
    return [" ".join(p.split()) for p in s.strip().split("\n\n")]


# ---------------------------------------------------------------------------
# Article texts
# ---------------------------------------------------------------------------

# A1 - Harbour Gazette, 2025-03-03, Nadia Pell
A1_TITLE = "Calloway dockworkers vote to strike over night-shift pay"
A1_URL = "https://harbourgazette.example/news/2025/03/03/calloway-dockworkers-vote-to-strike"
A1_CAPTION = "Union members count ballots at the CDU hall on Harbour Row on Monday."
A1 = paras("""
Dockworkers at the Port of Calloway have voted to walk out from Wednesday after talks over night-shift pay collapsed, the Calloway Dockworkers' Union (CDU) said on March 3.

Of the 2,140 members who took part in the ballot, 87 per cent backed a strike, according to figures released by the union on Monday morning. The stoppage is due to begin at 06:00 on 2025-03-05 and will cover all four container terminals.

"We have been patient for eighteen months," said Marta Keldren, the union's general secretary. "Patience has not paid for a single night shift."

Keldren said the union had offered to keep the grain berth open so that food shipments would not be affected. She called the port's latest offer "an insult dressed up as a compromise".

The Calloway Port Authority (CPA), which runs the terminals and is known locally as the harbour board, said it regretted the decision. Its spokesperson, Tobias Renwick, said that the authority had already raised night rates twice since 2023 and could not go further without raising fees for shippers.

"Our door remains open," Renwick said. "But we will not sign an agreement that the port cannot afford."

The CPA said contingency plans were in place for perishable cargo. Shipping lines were told last week to expect delays of up to ten days.

Priya Olund, a shipping analyst at the Sundal Institute, said a prolonged strike would hit exporters hardest. "Calloway handles roughly a third of the region's container traffic," she said. "There is no spare capacity anywhere else on this coast."

Labour minister Ines Varga urged both sides to return to the table but said the government would not intervene "at this stage".
""")

# A2 - Meridian Wire Service, 2025-03-05, Jonas Aberly (JSONL); A3 is a verbatim reprint
A2_TITLE = "Calloway port strike halts container traffic"
A2_URL = "https://meridianwire.example/stories/2025/03/05/calloway-port-strike-halts-container-traffic"
A2 = paras("""
CALLOWAY, March 5 (Meridian Wire Service) - Container traffic at the Port of Calloway came to a standstill on Wednesday as about 2,000 dockworkers began an open-ended strike over night-shift pay.

Picket lines formed at all four terminals before dawn, and at least 14 vessels were waiting at anchor outside the harbour by midday, according to the port's own tracking data.

"Nobody wanted to be standing here," Marta Keldren, general secretary of the Calloway Dockworkers' Union, told reporters at the gate of Terminal 2. "But the harbour board left us no other choice."

The Calloway Port Authority (CPA) said the grain berth was operating normally under an agreement with the union. Spokesperson Tobias Renwick said the authority was "ready to talk at any hour" but repeated that its offer of a 6 per cent rise in night rates was final.

The strike follows a ballot announced on 03.03.2025 in which 87 per cent of participating members voted for a walkout.

Exporters warned of knock-on effects. "Every day the cranes stand still costs our members money they will not get back," said Helga Brandt, who chairs the Coastal Exporters' Association.

Labour minister Ines Varga said on Wednesday that she had spoken to both sides by telephone. She said that mediation was "an option, not an obligation".

Analysts said the dispute could last weeks. Priya Olund of the Sundal Institute said the union's strike fund could support members "well into April".

(Reporting by Jonas Aberly; editing by Carla Mendez)
""")
A3_URL = "https://northfieldledger.example/news/2025/03/05/calloway-port-strike-halts-container-traffic"

# A4 - Valemouth Courier, 2025-03-12, Aurelio Banks (plain text)
A4_TITLE = "Port authority offers mediation as Calloway strike enters second week"
A4_URL = "http://valemouthcourier.example/news/2025/03/12/calloway-strike-mediation"
A4 = paras("""
The Calloway Port Authority has asked the national mediation service to step into the dockworkers' strike, which entered its second week on Wednesday with more than 30 ships now waiting outside the harbour.

In a letter to the union dated 2025-03-11, the authority, also known as the harbour board, proposed that an independent mediator review night-shift rates at all four terminals. Spokesperson Tobias Renwick said the offer was made "in good faith and without preconditions".

The Calloway Dockworkers' Union (CDU) said it would consider the proposal at a members' meeting on Friday. "We will read the letter carefully," said general secretary Marta Keldren. "What we will not do is call off the strike just because somebody has finally picked up a pen."

Keldren said the union wanted any deal to be backdated to January.

Valemouth, about 90 kilometres up the coast, has seen a sharp rise in diverted cargo. Harbourmaster Eamon Petrie said that the smaller port had handled twice its usual volume since last Wednesday and was "running at the edge of what is safe".

Labour minister Ines Varga welcomed the move. "Mediation is how grown-up disputes end," she said in a statement on Tuesday.

Not everyone expects the talks to be quick. Priya Olund, an analyst at the Sundal Institute, said that both sides had "dug in over a number that is not very large", a gap she put at around two percentage points.
""")

# A5 - Harbour Gazette, 2025-03-20, Nadia Pell (WARC response + WET conversion)
A5_TITLE = "Calloway dock strike ends with deal on night-shift pay"
A5_URL = "https://harbourgazette.example/news/2025/03/20/calloway-dock-strike-ends"
A5_CAPTION = "Crane drivers return to Terminal 1 at dawn on Thursday."
A5 = paras("""
The strike that shut the Port of Calloway for more than two weeks ended on Thursday after the dockers' union accepted a mediated deal on night-shift pay.

Members of the Calloway Dockworkers' Union (CDU) approved the agreement by 74 per cent in a vote counted on the evening of March 19. Crews were back on the cranes at Terminal 1 by 06:00 on Thursday.

Under the deal, night-shift rates rise by 8 per cent from April and by a further 2 per cent in January 2026. The increase is backdated to 1 January 2025, one of the union's key demands.

"This is not everything we asked for," said Marta Keldren, the union's general secretary. "It is enough to say that the night shift finally counts."

The Calloway Port Authority said the agreement would add about 4.1 million crowns a year to its wage bill. Spokesperson Tobias Renwick said that the authority would not raise fees for shippers before the end of the year.

Mediator Colm Hartigan, who chaired six days of talks, described the final session as "long, loud and ultimately useful".

The harbour board expects the backlog of roughly 40 vessels to clear within ten days. Priya Olund of the Sundal Institute said exporters would feel the effects "for at least a month".

Labour minister Ines Varga thanked both parties. "Calloway has shown that a hard dispute can end at a table rather than in a courtroom," she said.
""")

# B1 - Northfield Ledger, 2025-04-07, Gareth Moll (HTML saved as .txt)
B1_TITLE = "Brenmark accuses Ostvale of stalling flood relief payments"
B1_URL = "https://northfieldledger.example/region/2025/04/07/brenmark-accuses-ostvale-flood-relief"
B1_CAPTION = "Floodwater in Lower Tessel on 18 March."
B1 = paras("""
Brenmark's governor has accused the neighbouring region of Ostvale of holding back its share of the Tessel Basin Relief Fund, leaving hundreds of flooded households waiting for repair grants three weeks after the river burst its banks.

Governor Alma Fenwick said on Monday that Ostvale had paid only 40 million of the 95 million crowns it pledged to the fund in March. "Families in Lower Tessel are sleeping in school gyms while money sits in a ministry account," Fenwick said. "That is not a budget dispute. That is a choice."

The fund, known in both regions simply as the basin fund, was set up in 2019 to share the cost of flood damage along the Tessel. Its board includes three members from each region.

Ostvale's interior minister, Dario Quist, rejected the accusation. Speaking in Valemouth, he said that the remaining payments were being withheld until the fund published an independent audit of how earlier grants had been spent. Quist described Fenwick's remarks as "theatre for the cameras".

The river crested at 6.8 metres at the Northfield gauge on 17 March, the highest level since records began. Lena Morrow, a hydrologist at Northfield University, said the dispute risked delaying repairs before the autumn rains. "The river does not care which side of the border a house is on," she said.

Volunteers from the group Tessel Watch have been distributing food and dry bedding in Lower Tessel since last week. Its coordinator, Renée Castellan, said the group had registered 1,200 families in need.
""")

# B2 - Meridian Wire Service, 2025-04-09, Mirela Stan (JSONL); B3 is an edited reprint
B2_TITLE = "Ostvale moves against volunteer flood group Tessel Watch"
B2_URL = "https://meridianwire.example/stories/2025/04/09/ostvale-moves-against-tessel-watch"
B2 = paras("""
VALEMOUTH, April 9 (Meridian Wire Service) - Ostvale's interior ministry has ordered police to investigate the volunteer group Tessel Watch, escalating a dispute over flood relief with neighbouring Brenmark.

In a statement issued on Wednesday, the ministry referred to "the so-called Tessel Watch", which it said had collected cash donations in Ostvale without a licence. Interior minister Dario Quist said the group, which the ministry considers a criminal network, had also organised a blockade of a relief depot near Hollin on 2025-04-06.

"Charity does not give anyone the right to break the law," Quist said. "We will follow the money wherever it leads."

Tessel Watch denies any wrongdoing. Its coordinator, Renée Castellan, said the blockade was a peaceful protest against delays in the payment of repair grants. "We are handing out blankets, not running a mafia," she said. "If the minister wants to find out where the money went, he should start with his own ministry."

The Governor of Brenmark, Alma Fenwick, called the investigation "an attempt to change the subject". Brenmark has accused Ostvale of withholding 55 million crowns owed to the Tessel Basin Relief Fund (TBRF).

The TBRF, set up in 2019 to share the cost of flood damage along the river, said it would publish an independent audit of past grants before the end of the month. Fund director Petra Voss said she hoped this would "remove any excuse" for delayed payments.

Legal experts said the licensing rules cited by the ministry were rarely enforced. "These rules were written for door-to-door lotteries, not for a flood," said Anton Reyes, a lecturer in public law at Valemouth University.

(Reporting by Mirela Stan; editing by Carla Mendez)
""")

# B3 - Valemouth Courier, 2025-04-10: edited reprint of B2
B3_TITLE = "Police to investigate Tessel Watch over unlicensed donations"
B3_URL = "https://valemouthcourier.example/news/2025/04/10/police-to-investigate-tessel-watch"
B3_CAPTION = "Volunteers unload blankets at a depot near Hollin."
B3_EDITS = [
    (" - ", " – "),  # dateline dash becomes an en dash
    ("has ordered police", "has asked police"),
    ("escalating a dispute over flood relief", "deepening a row over flood relief"),
    ("Tessel Watch denies any wrongdoing.", "Tessel Watch rejects the allegations."),
]
B3_DROPPED = 6  # index in B2 of the dropped paragraph (Anton Reyes)


def smart_quotes(p):
    out, opened = [], False
    for ch in p:
        if ch == '"':
            out.append("\u201d" if opened else "\u201c")
            opened = not opened
        elif ch == "'":
            out.append("\u2019")
        else:
            out.append(ch)
    return "".join(out)


def b3_paras():
    res = []
    for i, p in enumerate(B2):
        if i == B3_DROPPED:
            continue
        for old, new in B3_EDITS:
            p = p.replace(old, new)
        res.append(smart_quotes(p))
    return res


B3 = b3_paras()

# B4 - The Eastbrook Signal, 2025-04-22, Kit Harrow (Markdown + one-line-per-paragraph text)
B4_TITLE = "Basin fund agrees independent audit as Tessel relief row cools"
B4_URL = "https://eastbrooksignal.example/2025/04/22/basin-fund-audit"
B4_IMAGE = "https://eastbrooksignal.example/media/2025/04/lower-tessel-sandbags.jpg"
B4_CAPTION = "Sandbags outside a house in Lower Tessel. (Photo: Rivermark Agency)"
B4_MD = paras("""
The [Tessel Basin Relief Fund](https://tbrf.example/about) will hand its books to an outside auditor, a move both Brenmark and Ostvale said on Monday could unlock the payments stuck since March.

@IMAGE@

The fund's director, Petra Voss, said the audit firm would report by 30 June. "Nobody should have to wait for a spreadsheet before they can fix their roof," Voss said. "But if a spreadsheet is what it takes, they will have one."

Ostvale's interior minister Dario Quist told regional radio that his government would release a first tranche of 25 million crowns "within days" of the auditor being appointed. Quist, who last week compared the row to "a family argument over a restaurant bill", said the remaining 30 million would follow once the report was published.

Brenmark's governor Alma Fenwick welcomed the step but said it came "a month too late" for families in Lower Tessel. Fenwick said that her region would keep paying @SPLIT@ emergency grants out of its own budget until the basin fund was back on its feet.

The ministry's investigation into the volunteer group Tessel Watch continues. Ostvale officials still describe it as an unlicensed collection, while coordinator Renée Castellan says the group has now handed out more than 3,000 food parcels. ([our earlier report](https://eastbrooksignal.example/2025/04/10/tessel-watch-investigation))

Hydrologist Lena Morrow of Northfield University warned that the row had already cost valuable time. "Repairs to the Hollin embankment have to be finished before October," she said. "That deadline does not move for politics."
""")
B4_RELATED_MD = ("Related posts: [Who pays when the Tessel floods?](https://eastbrooksignal.example/2025/04/08/who-pays-tessel-floods)"
                 " | [Tessel Watch: volunteers or vigilantes?](https://eastbrooksignal.example/2025/04/15/tessel-watch-volunteers-or-vigilantes)")

# C1 - Meridian Wire Service, 2025-05-06, Jonas Aberly (JSONL)
C1_TITLE = "Kestland trade talks open in Dunmere with steel and fish on the table"
C1_URL = "https://meridianwire.example/stories/2025/05/06/kestland-trade-talks-open"
C1 = paras("""
DUNMERE, May 6 (Meridian Wire Service) - Negotiators from Kestland and the national government opened a new round of trade talks in Dunmere on Tuesday, aiming to settle a two-year row over steel tariffs and fishing rights before the summer.

Trade minister Halvard Stenmo said he expected "hard but honest" discussions. "We are not here to sign a deal at any price," Stenmo told reporters outside the Dunmere Conference Hall. "We are here to sign a deal that our ports and our fishers can live with."

Kestland's delegation is led by deputy trade secretary Ruth Calder, who said that her government was prepared to cut its 12 per cent tariff on rolled steel if access to the northern fishing grounds was extended.

The Coastal Fishers' Federation (CFF), the largest fishing lobby, has warned it will oppose any expansion of Kestland quotas. Its chair, Bram Tollefsen, said the federation would "not be traded for steel".

Port operators are watching closely. The Calloway Port Authority, still clearing a backlog after the March dock strike, said lower tariffs could bring back steel shipments lost since 2023.

Priya Olund, an analyst at the Sundal Institute, said a deal was possible by June. "Both sides need a win before the autumn budgets," she said.

The talks are scheduled to run until 2025-05-23.

(Reporting by Jonas Aberly; editing by Carla Mendez)
""")

# C2 - The Eastbrook Signal, 2025-05-16, Kit Harrow (Markdown saved as .txt)
C2_TITLE = "Five things to know about the Kestland trade talks"
C2_URL = "https://eastbrooksignal.example/2025/05/16/kestland-talks-explainer"
C2_MD = paras("""
The trade talks with Kestland have reached their halfway point in Dunmere. Here is what is at stake, and who is saying what.

**1. Steel for fish.** Kestland wants longer access to the northern fishing grounds; in return it has offered to cut its 12 per cent tariff on rolled steel. Deputy trade secretary Ruth Calder called the offer "generous by any standard".

**2. The fishers are not convinced.** The Coastal Fishers' Federation, which most skippers simply call the fishers' federation, says extra Kestland quotas would empty the grounds within a decade. "You cannot eat a steel girder," said CFF chair Bram Tollefsen on Wednesday.

**3. Ports want volume back.** After the [March strike at Calloway](https://eastbrooksignal.example/2025/03/20/calloway-strike-over), the port authority is hoping cheaper steel will bring lost cargo back to its quays.

**4. The minister is under pressure.** Trade minister Halvard Stenmo has promised a deal "our ports and our fishers can live with". Opposition members said that he had already conceded too much in the first week.

**5. The clock is running.** The talks are due to end on May 23. Analyst Priya Olund of the Sundal Institute said the most likely outcome was "a framework deal with the hard numbers left for later".
""")
C2_RELATED_MD = ("Related posts: [Basin fund agrees independent audit as Tessel relief row cools](https://eastbrooksignal.example/2025/04/22/basin-fund-audit)"
                 " | [Who pays when the Tessel floods?](https://eastbrooksignal.example/2025/04/08/who-pays-tessel-floods)")

# C3 - Northfield Ledger, 2025-05-23, Gareth Moll (gzip plain text)
C3_TITLE = "Kestland talks stall over fishing quotas as deadline passes"
C3_URL = "https://northfieldledger.example/business/2025/05/23/kestland-talks-stall"
C3 = paras("""
Trade talks between the government and Kestland ended their scheduled run in Dunmere on Friday without an agreement, after the two delegations failed to settle how many tonnes of cod Kestland boats may take from the northern grounds.

Officials on both sides said the talks would resume in early June. A draft text on steel tariffs is understood to be largely agreed.

"We are closer than we have ever been, and still not close enough," trade minister Halvard Stenmo said at a late-night briefing. "I would rather walk out of this hall with nothing than with a bad deal."

Kestland's deputy trade secretary Ruth Calder said her team had made "three serious offers in ten days". She said that Kestland would not accept a quota below 18,000 tonnes a year.

The Coastal Fishers' Federation (CFF) held a rally outside the conference hall on Thursday. Federation chair Bram Tollefsen told the crowd that any quota above 10,000 tonnes would be "a betrayal of every harbour from here to Calloway".

For Northfield's steel fabricators the delay is unwelcome. Hanne Solberg, who runs a 60-person workshop on the Tessel industrial estate, said orders from Kestland had halved since the tariff was introduced. "Every month without a deal is another month of layoffs," she said.

Analyst Priya Olund of the Sundal Institute said the gap on fish was "narrower than the rhetoric suggests".
""")

# C4 - Harbour Gazette, 2025-05-30, Nadia Pell (zstd Markdown)
C4_TITLE = "Kestland deal agreed in principle as Calloway cuts steel fees"
C4_URL = "https://harbourgazette.example/news/2025/05/30/kestland-deal-calloway-steel-fees"
C4 = paras("""
The government and Kestland agreed the outline of a trade deal on Friday, a week after talks in Dunmere broke up without agreement, and the Calloway Port Authority said it would cut handling fees for steel cargo from July.

Under the framework, Kestland will phase out its tariff on rolled steel over three years. Kestland boats will be allowed to take 14,000 tonnes of cod a year from the northern grounds, between the two sides' positions of last week.

"It is a compromise, and it feels like one," trade minister Halvard Stenmo said. "That is usually the sign of a fair deal."

The port authority, which Calloway residents still call the harbour board, said steel handling fees would fall by 5 per cent. Spokesperson Tobias Renwick said the port expected "at least twenty extra steel calls a year".

The Calloway Dockworkers' Union welcomed the prospect of more work. General secretary Marta Keldren said that the union would seek talks on staffing for the steel berth before the summer.

The Coastal Fishers' Federation called the quota "a bitter pill". Its chair, Bram Tollefsen, said that members would vote on 2025-06-07 on whether to accept it.

Priya Olund of the Sundal Institute said the outcome matched expectations. "This is the framework everyone predicted," she said. "The fight now moves to the detail."
""")

SIGNAL_APPEAL_MD = ("**Support independent local journalism.** The Eastbrook Signal is funded by readers, "
                    "not by advertisers. If you value our reporting on the Tessel valley and beyond, please "
                    "consider a monthly donation of any amount at eastbrooksignal.example/support. Every "
                    "contribution, however small, keeps our journalism free for everyone. Thank you.")


def strip_md(s):
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    return s.replace("**", "")


# ---------------------------------------------------------------------------
# HTML templates
# ---------------------------------------------------------------------------

def esc(s):
    return html.escape(s, quote=False)


def attr(s):
    return html.escape(s, quote=True)


def body_html(ps, indent="      ", insert_after=None, insert_html=""):
    out = []
    for i, p in enumerate(ps):
        out.append(f"{indent}<p>{esc(p)}</p>")
        if insert_after is not None and i == insert_after:
            out.append(insert_html)
    return "\n".join(out)


HG_NEWSLETTER = """        <aside class="newsletter-box">
          <h3>Get the Harbour Briefing</h3>
          <p>Port news, shipping schedules and tide tables in your inbox every weekday at 7am.</p>
          <form action="/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="Your email address"> <button type="submit">Sign up</button></form>
        </aside>"""


def render_hg(title, url, author, published, modified, description, image, caption, credit,
              ps, related, section="Port &amp; Shipping", jsonld=True):
    ld = ""
    if jsonld:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "description": description,
            "image": [image],
            "datePublished": published,
            "dateModified": modified,
            "author": [{"@type": "Person", "name": author,
                        "url": "https://harbourgazette.example/authors/" + author.lower().replace(" ", "-")}],
            "publisher": {"@type": "Organization", "name": "Harbour Gazette",
                          "logo": {"@type": "ImageObject", "url": "https://harbourgazette.example/static/img/logo.png"}},
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        }
        ld = ('  <script type="application/ld+json">\n'
              + json.dumps(data, indent=2, ensure_ascii=False) + "\n  </script>\n")
    rel = "\n".join(f'        <li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in related)
    shown = published[:10]
    import datetime
    d = datetime.date.fromisoformat(shown)
    human = f"{d.day} {d.strftime('%B %Y')}, {published[11:16]}"
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} | Harbour Gazette</title>
  <meta name="description" content="{attr(description)}">
  <meta name="author" content="{attr(author)}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{attr(title)}">
  <meta property="og:description" content="{attr(description)}">
  <meta property="og:site_name" content="Harbour Gazette">
  <meta property="og:url" content="{attr(url)}">
  <meta property="og:image" content="{attr(image)}">
  <meta property="article:published_time" content="{published}">
  <meta property="article:modified_time" content="{modified}">
  <meta property="article:section" content="Port and Shipping">
  <link rel="canonical" href="{attr(url)}">
  <link rel="stylesheet" href="/static/css/gazette.3f9a1c.css">
{ld}  <script src="/static/js/analytics.js" async></script>
</head>
<body class="article-page">
  <div id="cookie-consent" class="cookie-notice" role="dialog">
    <p>We use cookies to keep this site working and to understand how it is used. See our <a href="/cookies">cookie policy</a>.</p>
    <button class="accept">Accept all</button> <button class="reject">Reject non-essential</button>
  </div>
  <header class="site-header">
    <a class="logo" href="/"><img src="/static/img/logo.png" alt="Harbour Gazette"></a>
    <nav class="main-nav" aria-label="Sections">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/news/">News</a></li>
        <li><a href="/port/">Port &amp; Shipping</a></li>
        <li><a href="/business/">Business</a></li>
        <li><a href="/sport/">Sport</a></li>
        <li><a href="/opinion/">Opinion</a></li>
        <li><a href="/weather/">Weather &amp; Tides</a></li>
      </ul>
    </nav>
    <a class="subscribe-button" href="/subscribe">Subscribe</a>
  </header>
  <main id="content">
    <article class="story">
      <p class="kicker"><a href="/port/">{section}</a></p>
      <h1 class="headline">{esc(title)}</h1>
      <div class="byline">By <a rel="author" href="/authors/{author.lower().replace(' ', '-')}">{esc(author)}</a>, Port Correspondent &middot; <time datetime="{published}">{human}</time></div>
      <div class="share-bar">
        <span>Share this article</span>
        <a class="share-fb" href="https://social.example/share?u={attr(url)}">Facebook</a>
        <a class="share-x" href="https://microblog.example/intent?url={attr(url)}">X</a>
        <a class="share-mail" href="mailto:?subject={attr(title)}">Email</a>
        <button class="copy-link">Copy link</button>
      </div>
      <figure class="lead-image">
        <img src="{attr(image)}" alt="{attr(caption)}" width="1200" height="675">
        <figcaption>{esc(caption)} <span class="credit">Photo: {esc(credit)}</span></figcaption>
      </figure>
      <div class="article-body">
{body_html(ps, indent="        ", insert_after=3, insert_html=HG_NEWSLETTER)}
      </div>
      <section class="related-links">
        <h2>More on this story</h2>
        <ul>
{rel}
        </ul>
      </section>
    </article>
  </main>
  <footer class="site-footer">
    <ul class="footer-links">
      <li><a href="/about">About us</a></li>
      <li><a href="/contact">Contact</a></li>
      <li><a href="/advertise">Advertise</a></li>
      <li><a href="/privacy">Privacy</a></li>
    </ul>
    <p class="copyright">&copy; 2025 Harbour Gazette Media Ltd, 14 Harbour Row, Calloway. All rights reserved.</p>
  </footer>
</body>
</html>
"""


def render_nl(title, url, author, byline_html, published, description, image, caption, credit,
              ps, related, section="Region"):
    rel = "\n".join(f'          <li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in related)
    import datetime
    d = datetime.date.fromisoformat(published[:10])
    human = d.strftime("%A ") + str(d.day) + d.strftime(" %B %Y")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)} - The Northfield Ledger</title>
<meta name="author" content="{attr(author)}">
<meta name="description" content="{attr(description)}">
<meta property="og:title" content="{attr(title)}">
<meta property="og:site_name" content="The Northfield Ledger">
<meta property="og:type" content="article">
<meta property="og:url" content="{attr(url)}">
<meta property="og:image" content="{attr(image)}">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{section}">
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="{attr(url)}">
<link rel="stylesheet" href="https://cdn.northfieldledger.example/css/main.css">
</head>
<body>
<div class="gdpr-banner" id="gdpr">This website uses cookies. By continuing to browse you agree to our use of cookies. <a href="/legal/cookies">Learn more</a> <a href="#" class="gdpr-close">OK</a></div>
<div class="masthead">
  <a href="/" class="brand">The Northfield Ledger</a>
  <div class="topnav">
    <a href="/">Front page</a> | <a href="/region/">Region</a> | <a href="/news/">National</a> | <a href="/business/">Business</a> | <a href="/culture/">Culture</a> | <a href="/letters/">Letters</a>
  </div>
</div>
<div class="container">
  <div class="col-main">
    <div class="story">
      <span class="section-label">{section}</span>
      <h1>{esc(title)}</h1>
      <p class="meta"><span class="author">{byline_html}</span> <span class="sep">|</span> <time datetime="{published}" pubdate>{human}</time></p>
      <div class="social">
        <a href="https://social.example/share?u={attr(url)}" class="btn-share">Share</a>
        <a href="https://microblog.example/intent?url={attr(url)}" class="btn-share">Post</a>
        <a href="#comments" class="btn-comments">Comments (0)</a>
      </div>
      <div class="photo">
        <img src="{attr(image)}" alt="">
        <p class="caption">{esc(caption)} ({esc(credit)})</p>
      </div>
      <div class="story-body">
{body_html(ps)}
      </div>
      <div class="signup">
        <strong>Ledger Morning</strong>
        <p>The day's news from Northfield and the valley, in your inbox at 6am. Free, and you can unsubscribe at any time.</p>
        <form action="/signup"><input type="email" name="e" placeholder="you@example.com"><input type="submit" value="Subscribe"></form>
      </div>
    </div>
  </div>
  <div class="col-side">
    <div class="related">
      <h3>Related stories</h3>
      <ul>
{rel}
      </ul>
    </div>
    <div class="most-read">
      <h3>Most read</h3>
      <ol>
        <li><a href="/culture/2025/02/28/northfield-choir-festival">Northfield choir festival returns to the Corn Exchange</a></li>
        <li><a href="/region/2025/02/27/bypass-roadworks">Bypass roadworks to last until summer</a></li>
      </ol>
    </div>
  </div>
</div>
<div class="footer">
  <p><a href="/about">About the Ledger</a> &middot; <a href="/contact">Contact</a> &middot; <a href="/legal/terms">Terms</a> &middot; <a href="/legal/privacy">Privacy</a></p>
  <p>Copyright &copy; 2025 The Northfield Ledger Publishing Co. All rights reserved. No part of this site may be reproduced without permission.</p>
</div>
</body>
</html>
"""


def render_vc():
    """Valemouth Courier page (B3), returned as str; written as windows-1252."""
    url = B3_URL
    desc = "Ostvale\u2019s interior ministry has asked police to investigate the volunteer group Tessel Watch."
    rel = [
        ("Brenmark accuses Ostvale of stalling flood relief payments", "/news/2025/04/08/brenmark-ostvale-relief-row"),
        ("Tessel crest: Valemouth quay closed for two days", "/news/2025/03/18/valemouth-quay-closed"),
        ("Letters: Who is Tessel Watch accountable to?", "/opinion/2025/04/05/letters-tessel-watch"),
    ]
    rel_html = "\n".join(f'      <li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in rel)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="windows-1252">
<title>{esc(B3_TITLE)} \u2013 Valemouth Courier</title>
<meta name="author" content="Mirela Stan">
<meta name="description" content="{attr(desc)}">
<meta property="og:title" content="{attr(B3_TITLE)}">
<meta property="og:site_name" content="Valemouth Courier">
<meta property="og:type" content="article">
<meta property="og:url" content="{attr(url)}">
<meta property="article:published_time" content="2025-04-10T08:30:00+02:00">
<meta property="article:section" content="News">
<link rel="canonical" href="{attr(url)}">
<link rel="stylesheet" href="/assets/courier.css">
</head>
<body>
<div class="cookie-bar">
  Cookies help us deliver the Courier. We and our partners store and access information on your device. <a href="/cookies">Settings</a> <button id="cookie-ok">I agree</button>
</div>
<nav class="topbar">
  <a class="brand" href="/">Valemouth Courier</a>
  <a href="/news/">News</a> <a href="/harbour/">Harbour</a> <a href="/valley/">Tessel Valley</a> <a href="/sport/">Sport</a> <a href="/what-s-on/">What\u2019s On</a> <a href="/e-edition/">E-edition</a>
</nav>
<div id="page">
  <article>
    <header>
      <h1 class="entry-title">{esc(B3_TITLE)}</h1>
      <div class="entry-meta">By <span class="author vcard">Mirela Stan, Meridian Wire Service</span> \u2013 <time class="published" datetime="2025-04-10T08:30:00+02:00">10/04/2025 08:30</time></div>
      <div class="sharing"><a href="https://social.example/share?u={attr(url)}">Share on Facebook</a> <a href="https://microblog.example/intent?url={attr(url)}">Share on X</a> <a href="https://chat.example/send?text={attr(url)}">WhatsApp</a></div>
    </header>
    <figure class="wp-caption">
      <img src="/uploads/2025/04/hollin-depot-volunteers.jpg" alt="Volunteers at a relief depot" width="960" height="540">
      <figcaption class="wp-caption-text">{esc(B3_CAPTION)} Photo: Rivermark Agency</figcaption>
    </figure>
    <div class="entry-content">
{body_html(B3, indent="    ")}
    </div>
  </article>
  <aside class="newsletter">
    <h4>Courier Daily</h4>
    <p>All the Valemouth news you need, every morning. Sign up for our free newsletter.</p>
    <input type="email" placeholder="Email"> <button>Join</button>
  </aside>
  <aside class="related-posts">
    <h4>You may also like</h4>
    <ul>
{rel_html}
    </ul>
  </aside>
</div>
<footer>
  <p>\u00a9 2025 Valemouth Courier Ltd. Registered office: 3 Quay Street, Valemouth. All rights reserved.</p>
  <p><a href="/terms">Terms</a> | <a href="/privacy">Privacy</a> | <a href="/complaints">Complaints</a></p>
</footer>
</body>
</html>
"""


HG_A1_RELATED = [
    ("Night-shift pay talks resume at Calloway port", "https://harbourgazette.example/news/2025/02/18/night-shift-pay-talks-resume"),
    ("Harbour board reports record container volumes for 2024", "https://harbourgazette.example/business/2025/01/29/record-container-volumes"),
    ("Opinion: The port cannot run on goodwill alone", "https://harbourgazette.example/opinion/2025/02/24/port-goodwill"),
]
HG_A1_IMAGE = "https://harbourgazette.example/media/2025/03/cdu-ballot-count.jpg"


def page_a1():
    return render_hg(
        A1_TITLE, A1_URL, "Nadia Pell", "2025-03-03T17:42:00+01:00", "2025-03-03T19:05:00+01:00",
        "Dockworkers at the Port of Calloway will walk out from Wednesday after 87 per cent backed a strike.",
        HG_A1_IMAGE, A1_CAPTION, "Coastline Images", A1, HG_A1_RELATED)


def page_a5():
    related = [
        ("Port authority offers mediation as strike enters second week", "https://harbourgazette.example/news/2025/03/12/mediation-offer"),
        ("Calloway dockworkers vote to strike over night-shift pay", A1_URL),
        ("Tide tables for March", "https://harbourgazette.example/weather/tides-march-2025"),
    ]
    return render_hg(
        A5_TITLE, A5_URL, "Nadia Pell", "2025-03-20T12:10:00+01:00", "2025-03-20T12:10:00+01:00",
        "Calloway dockworkers accept a mediated deal and end a strike that lasted more than two weeks.",
        "https://harbourgazette.example/media/2025/03/terminal-1-dawn.jpg", A5_CAPTION, "Coastline Images",
        A5, related)


def page_a3():
    related = [
        ("Tessel river rises at Northfield gauge", "https://northfieldledger.example/region/2025/03/04/tessel-rising"),
        ("Northfield exporters brace for port disruption", "https://northfieldledger.example/business/2025/03/04/exporters-brace"),
    ]
    return render_nl(
        A2_TITLE, A3_URL, "Meridian Wire Service", "Meridian Wire Service", "2025-03-05T14:10:00+01:00",
        "Container traffic at the Port of Calloway came to a standstill as dockworkers began a strike.",
        "https://cdn.northfieldledger.example/img/2025/03/calloway-pickets.jpg",
        "Pickets at the gate of Terminal 2 in Calloway.", "Photo: Meridian Wire Service", A2, related, section="National")


def page_b1():
    related = [
        ("Tessel crest breaks record at Northfield gauge", "https://northfieldledger.example/region/2025/03/17/tessel-crest-record"),
        ("Lower Tessel families moved to school gyms", "https://northfieldledger.example/region/2025/03/20/lower-tessel-families"),
        ("Explainer: how the basin fund works", "https://northfieldledger.example/region/2025/03/24/basin-fund-explainer"),
    ]
    return render_nl(
        B1_TITLE, B1_URL, "Gareth Moll",
        'By <a href="/staff/gareth-moll" rel="author">Gareth Moll</a>, Regional Affairs Editor',
        "2025-04-07T18:05:00+02:00",
        "Governor Alma Fenwick says Ostvale has paid only 40 million of the 95 million crowns it pledged.",
        "https://cdn.northfieldledger.example/img/2025/04/lower-tessel-flood.jpg",
        B1_CAPTION, "Photo: Rivermark Agency", B1, related)


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def write_text(name, text, encoding="utf-8"):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(text.encode(encoding))


def hard_wrapped_a1():
    """Plain-text reader-mode scrape of the A1 page, hard-wrapped at 66 columns."""
    def fill(p):
        return textwrap.fill(p, width=66, break_long_words=False, break_on_hyphens=False)
    blocks = [A1_TITLE, "By Nadia Pell, Port Correspondent\n3 March 2025, 17:42",
              fill(A1_CAPTION + " (Photo: Coastline Images)")]
    for i, p in enumerate(A1):
        blocks.append(fill(p))
        if i == 3:  # the newsletter box sits mid-article on the page
            blocks.append("Get the Harbour Briefing\n" + fill(
                "Port news, shipping schedules and tide tables in your inbox every weekday at 7am.") + "\nSign up")
    blocks.append("More on this story\n" + "\n".join(t for t, _ in HG_A1_RELATED))
    return "\n\n".join(blocks) + "\n"


def a4_text():
    lines = [A4_TITLE, "", "By Aurelio Banks | Valemouth Courier | 12 March 2025", "",
             "Idle cranes at Terminal 4 in Calloway on Tuesday. (Photo: Coastline Images)", ""]
    for p in A4:
        lines += [p, ""]
    lines += ["Share this article", "", f"Source Article from {A4_URL}"]
    return "\n".join(lines) + "\n"


def b4_markdown():
    img = f"![Sandbags stacked outside a house in Lower Tessel]({B4_IMAGE})\n*{B4_CAPTION}*"
    out = [f"# {B4_TITLE}", "", "Tuesday, 22 April 2025", "",
           "**The Eastbrook Signal** \u00b7 by Kit Harrow", "", "Views: 12", ""]
    for p in B4_MD:
        if p == "@IMAGE@":
            out += [img, ""]
        elif "@SPLIT@" in p:
            a, b = p.split(" @SPLIT@ ")
            out += [a, "", b, ""]  # stray blank line splits the sentence
        else:
            out += [p, ""]
    out += [B4_RELATED_MD, "", "---", "", SIGNAL_APPEAL_MD, "", f"Original url: <{B4_URL}>"]
    return "\n".join(out) + "\n"


def b4_plain():
    """Aggregator copy of B4: one paragraph per line, no blank lines."""
    out = [B4_TITLE, "Tuesday, 22 April 2025", "The Eastbrook Signal \u00b7 by Kit Harrow", "Views: 12"]
    for p in B4_MD:
        if p == "@IMAGE@":
            out.append(B4_CAPTION)
        else:
            out.append(strip_md(p.replace(" @SPLIT@ ", " ")))
    out += [strip_md(B4_RELATED_MD), strip_md(SIGNAL_APPEAL_MD),
            "Source Article from " + B4_URL.replace("https://", "http://")]
    return "\n".join(out) + "\n"


def c2_markdown():
    out = [C2_TITLE, "=" * len(C2_TITLE), "", "Published: 16.05.2025", "",
           "**The Eastbrook Signal** | Kit Harrow", "", "Views: 7", ""]
    for p in C2_MD:
        out += [p, ""]
    out += [C2_RELATED_MD, "", "---", "", SIGNAL_APPEAL_MD, "", f"Original url: <{C2_URL}>"]
    return "\n".join(out) + "\n"


def meridian_jsonl():
    recs = [
        {"id": "mws-2025-0305-0117", "title": A2_TITLE, "text": "\n\n".join(A2), "url": A2_URL,
         "date": "2025-03-05T10:20:00Z", "source": "Meridian Wire Service", "authors": ["Jonas Aberly"]},
        {"id": "mws-2025-0409-0342", "title": B2_TITLE, "text": "\n\n".join(B2), "url": B2_URL,
         "date": "2025-04-09T15:45:00Z", "source": "Meridian Wire Service", "authors": ["Mirela Stan"]},
        {"id": "mws-2025-0506-0208", "title": C1_TITLE, "text": "\n\n".join(C1), "url": C1_URL,
         "date": "2025-05-06T13:05:00Z", "source": "Meridian Wire Service", "authors": ["Jonas Aberly"]},
    ]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def c3_text():
    lines = [C3_TITLE, "The Northfield Ledger | Business | Friday 23 May 2025", "By Gareth Moll", C3_URL, ""]
    for p in C3:
        lines += [p, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def c4_markdown():
    out = [f"## {C4_TITLE}", "", "*30 May 2025* \u2014 **Harbour Gazette**, by Nadia Pell", ""]
    for p in C4:
        out += [p, ""]
    out += [f"Original url: <{C4_URL}>"]
    return "\n".join(out) + "\n"


def main():
    write_text("harbourgazette_strike_vote.html", page_a1())
    write_text("scrape_0142.txt", hard_wrapped_a1())
    write_text("ledger_0407.txt", page_b1())
    write_text("courier-tessel-watch.html", render_vc(), encoding="cp1252")
    write_text("courier_mediation.txt", a4_text())
    write_text("signal-basin-audit.md", b4_markdown())
    write_text("feed_item_2291.txt", b4_plain())
    write_text("signal_kestland_explainer.txt", c2_markdown())
    write_text("meridian_feed.jsonl", meridian_jsonl())
    with open(os.path.join(OUT, "ledger_kestland_stall.txt.gz"), "wb") as raw:
        with gzip.GzipFile(filename="ledger_kestland_stall.txt", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(c3_text().encode("utf-8"))
    with tempfile.TemporaryDirectory() as td:
        src = os.path.join(td, "hg_kestland_deal.md")
        with open(src, "wb") as f:
            f.write(c4_markdown().encode("utf-8"))
        subprocess.run(["zstd", "-q", "-f", "-19", src, "-o",
                        os.path.join(OUT, "hg_kestland_deal.zst")], check=True)


if __name__ == "__main__":
    main()
