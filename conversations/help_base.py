"""The help base: questions people ask, answered once, and the fuzzy match that suggests them.

One source for the in-chat help, the support flow's suggestions and the public site's FAQ: an
answer is written once, so the site and the bot never disagree. It lives with the conversations
because its answers name commands (as typed on Telegram, “/sell”; the chat shows each channel's
form); only what Agora does today belongs here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from core.i18n import N_


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    topic: str
    question: str
    answer: str
    keywords: str = ""

    @property
    def searchable(self) -> str:
        return f"{self.question} {self.keywords}"


TOPICS = (N_("Getting started"), N_("Selling"), N_("Buying"), N_("Deals and payment"),
          N_("Consultants"), N_("Account"))

ARTICLES: tuple[Article, ...] = (
    Article("what-is-agora", N_("Getting started"), N_("What is Agora?"),
            N_("A marketplace that lives in chat: a bioenergy exchange (pellets, wood chips, biogas, "
            "biofuels…) and a marketplace of consultants. Sellers, buyers and consultants each "
            "use Telegram, Slack or the terminal, and deal with each other across channels."),
            "about marketplace overview how it works"),
    Article("register", N_("Getting started"), N_("How do I register?"),
            N_("Send any message to the bot: it asks your name, company, email (you confirm a "
            "6-digit code), your roles, country and town. Registration is free."),
            "sign up account create join verify email code"),
    Article("link-channels", N_("Getting started"), N_("Can I use Agora on both Telegram and Slack?"),
            N_("Yes. Type /link on the channel you already use to get a code, then send it on the "
            "other channel: both then open the same account."),
            "link account telegram slack both channels connect log login sign"),
    Article("create-listing", N_("Selling"), N_("How do I list my product?"),
            N_("Type /sell (or choose “New listing” in the menu): product, quantity with its unit, "
            "price, place and delivery. Photos, documents and optional details are offered on "
            "the preview before you publish."),
            "sell listing publish offer product post add"),
    Article("listing-expiry", N_("Selling"), N_("When does my listing expire?"),
            N_("Listings run for the period you chose; you get a reminder with Renew before they "
            "expire. /mylistings shows each listing with its status."),
            "expire renew listing end period mylistings"),
    Article("search", N_("Buying"), N_("How do I find a product?"),
            N_("Type /search and what you need in one line, e.g. “pellets under 250 eur near riga "
            "300km enplus”. Each filter shows as a chip you can remove; save the search to get "
            "alerts when new listings match."),
            "search find filter alert saved search buy look for"),
    Article("make-offer", N_("Buying"), N_("How do I make an offer?"),
            N_("Open a listing and press “Make an offer” (or “Buy now” at a fixed price). The seller "
            "accepts, declines or counters; either of you can withdraw your own open offer."),
            "offer counter negotiate price buy now quote"),
    Article("escrow", N_("Deals and payment"), N_("How does escrow protect me?"),
            N_("The buyer pays into escrow; Agora holds the money until the buyer confirms delivery "
            "and quality, then releases it to the seller minus the commission shown before "
            "paying. Deals can also arrange payment directly: then nothing is held and there is "
            "no buyer protection."),
            "escrow payment protection hold money release pay safe"),
    Article("pay-deal", N_("Deals and payment"), N_("How can I pay for a deal?"),
            N_("Press Pay on the deal card: by card on the payment page, and where Agora offers "
               "them, by bank transfer (an IBAN and a reference) or in crypto (USDC, BTC… on an "
               "invoice priced in the deal's currency). Either way the money is held in escrow "
               "and both of you are told when it arrives."),
            "pay payment card bank transfer iban crypto bitcoin btc usdc stablecoin method"),
    Article("commission", N_("Deals and payment"), N_("What does Agora charge?"),
            N_("Registration, listings and search are free. A commission per market is deducted "
            "from the seller's or consultant's payout and shown before anyone pays."),
            "fee commission price cost charge percent"),
    Article("quality", N_("Deals and payment"), N_("What if the delivery is not what was agreed?"),
            N_("Report the measured values from the deal card. Outside the tolerances in the frozen "
            "terms Agora proposes the price adjustment the terms set; if the seller rejects it, "
            "the deal goes to a dispute that an Agora operator decides."),
            "quality complaint wrong delivery problem adjustment defect refund bad"),
    Article("dispute", N_("Deals and payment"), N_("How do disputes work?"),
            N_("Open a dispute from the deal card with a reason and send your evidence in the deal's "
            "messages. An operator reads the thread, the terms and the quality report, may ask "
            "either party, and decides: release, refund or a split, with the reasons told to both."),
            "dispute conflict refund disagreement claim"),
    Article("invoices", N_("Deals and payment"), N_("Where are my receipts and invoices?"),
            N_("Every payment and payout sends a numbered PDF receipt in chat and by email; /wallet "
            "lists them to download again."),
            "receipt invoice pdf vat wallet statement"),
    Article("carbon", N_("Deals and payment"), N_("How much CO₂ have my deals avoided?"),
            N_("Each completed deal's carbon receipt is added up: /deals shows what your purchases "
               "(and what you supplied) avoided against fossil fuel this year, in all and by "
               "product, and its “Carbon statement” button sends a year's PDF with each deal's "
               "figure and method. To show your figure on your listings' public pages, turn it "
               "on in /notifications."),
            "carbon co2 co2e emissions avoided statement footprint red ii"),
    Article("find-consultant", N_("Consultants"), N_("How do I book a consultant?"),
            N_("Type /consultants and what you need. On a consultant's page press “Talk now” when "
            "they are online, or “Book a time” to pick a free slot in your time zone."),
            "consultant book session expert advice talk now appointment"),
    Article("free-minutes", N_("Consultants"), N_("Are the first 10 minutes really free?"),
            N_("Yes: the session's maximum is authorised, not charged. End within the first 10 "
            "minutes and the authorisation is voided (once per seeker and consultant)."),
            "free minutes trial charge authorisation session cost"),
    Article("cancel-booking", N_("Consultants"), N_("Can I cancel or reschedule a booking?"),
            N_("Yes, from the booking card. Cancelling is free up to the notice stated on the card; "
            "later a late-cancellation fee applies. Until then a seeker can also move the session "
            "to another free time in one step; after that a new time needs the other party's "
            "consent."),
            "cancel reschedule booking move late fee no-show"),
    Article("book-transport", N_("Deals and payment"), N_("Can Agora find a haulier for my deal?"),
            N_("Yes. On the deal's card tap 🚚 Ask for transport (while it is agreed or paid, "
               "before the goods ship): the delivery town, the quantity, the loading window and "
               "type. Hauliers who serve the route quote; accept one and pay the freight into "
               "escrow. The haulier's loaded, on the way and delivered (with the CMR photo) "
               "reach both of you, and the freight is paid to the haulier once the delivery is "
               "confirmed, or refunded if you cancel before loading."),
            "transport haulier truck freight logistics delivery shipping carrier cmr"),
    Article("book-inspection", N_("Deals and payment"),
            N_("Can an independent inspector check the goods?"),
            N_("Yes. On the deal's card tap 🔬 Book an inspection (once it is paid, until the "
               "quality is confirmed) and choose a consultant who offers sampling and lab "
               "analysis, at their fixed fee, which you authorise. They sample the goods and "
               "enter the lab's figures; both parties get them with the sampling record and the "
               "price adjustment they give under the terms, and the buyer can report them as the "
               "deal's quality. The fee is charged once the results are in, and given back if "
               "the inspector declines or misses the deadline."),
            "inspection inspector sampling lab analysis moisture ash calorific quality survey"),
    Article("haulier", N_("Deals and payment"), N_("How do I haul for Agora members?"),
            N_("Type /haulier (or 🚚 Haulier profile on your profile): the countries you serve as "
               "two-letter codes (LV, EE: any route between them) or routes (LV-DE), your loading "
               "types (tipper, walking floor, bags) and one load's capacity. You hear of the "
               "deals' requests for transport on those routes and quote from the notice; once "
               "booked and paid, post Loaded, On the way and Delivered with the signed CMR photo. "
               "The freight is paid out to you like a sale, set up with /payouts."),
            "haulier haul truck transport carrier freight routes loading capacity"),
    Article("become-consultant", N_("Consultants"), N_("How do I offer consulting?"),
            N_("Type /consultant to write your profile: expertise, languages, rates and weekly hours. "
            "Once it is complete and payouts are set up it goes live in the directory."),
            "consultant profile offer sessions rates availability payouts"),
    Article("consultant-calendar", N_("Consultants"), N_("How do I connect my own calendar?"),
            N_("Type /calendar. Connect a CalDAV calendar (Nextcloud, iCloud, Fastmail and most "
               "self-hosted servers) with its address, your user name and an app password, or "
               "paste any calendar's secret address in iCal format (Google, Outlook). Agora then "
               "never offers a time you are busy in it; a CalDAV calendar also gets each booking "
               "written in, moved and removed. /calendar also gives everyone a private address of "
               "their bookings to subscribe to in their calendar app. Not connected: signing in "
               "with a Google or Microsoft account — use their secret address instead (read "
               "only: bookings reach them through your private address)."),
            "calendar caldav ics google outlook icloud nextcloud busy sync subscribe feed"),
    Article("consultant-packages", N_("Consultants"), N_("Can I sell several sessions at once?"),
            N_("Yes: in /packages offer 3, 5 or 10 sessions at up to 20% off, valid up to a year, "
               "or every month as a retainer charged to the client's saved card with their "
               "consent. The client pays once; Agora holds the money and pays you each session's "
               "share, minus the commission, when it took place. Each booking of that length "
               "draws from the package. Unused sessions are refunded or kept at the end, as you "
               "chose."),
            "package bundle retainer monthly subscription prepaid sessions discount"),
    Article("payouts", N_("Account"), N_("How do I get paid?"),
            N_("Set up payouts with /payouts: money released from deals and sessions is paid to "
            "your account minus the commission."),
            "payout bank stripe connect get paid money transfer"),
    Article("time-zone", N_("Account"), N_("Which time zone do you use?"),
            N_("Yours: it comes from your country and can be changed in /profile. Deadlines, slots "
            "and reminders are shown in your own time zone."),
            "time zone timezone hours clock settings"),
    Article("support", N_("Account"), N_("How do I reach a person?"),
            N_("Type /support and describe the problem. If no answer here helps, a ticket goes to "
            "Agora's operators with what you were doing, and their reply comes back in this chat."),
            "support help contact human operator ticket problem"),
)

_BY_SLUG = {a.slug: a for a in ARTICLES}
_STOP = frozenset("a an the i my me we our is are do does did can could how what when where why "
                  "which who to of in on for with and or it its this that be was not no yes "
                  "get got have has from at by you your there".split())
WORD_MATCH = 80  # a question word counts when it is this close to an article word (typos)
SUGGEST_SHARE = 0.5  # at least half of the question's words must match


def article(slug: str) -> Article | None:
    return _BY_SLUG.get(slug)


def by_topic() -> list[tuple[str, list[Article]]]:
    return [(topic, [a for a in ARTICLES if a.topic == topic]) for topic in TOPICS]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1]


_INDEX = [(a, frozenset(_words(a.searchable))) for a in ARTICLES]


def _share(words: list[str], vocabulary: frozenset[str]) -> float:
    hits = sum(1 for w in words
               if w in vocabulary or process.extractOne(w, vocabulary, scorer=fuzz.ratio,
                                                        score_cutoff=WORD_MATCH))
    return hits / len(words)


def suggest(question: str, limit: int = 3) -> list[Article]:
    """The articles that best answer `question`, best first; none when nothing is close.

    Each meaningful word of the question is matched, typos allowed, against an article's
    question and keywords; an article is suggested when enough of the words match.
    """
    words = _words(question)[:30]
    if not words:
        return []
    scored = [(_share(words, vocabulary), index) for index, (_, vocabulary) in enumerate(_INDEX)]
    best = sorted((pair for pair in scored if pair[0] >= SUGGEST_SHARE), key=lambda p: (-p[0], p[1]))
    return [ARTICLES[index] for _, index in best[:limit]]
