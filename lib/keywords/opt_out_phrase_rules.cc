#include "lib/keywords/opt_out_phrase_rules.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace smsflow::keywords {
namespace {

// Vocabulary shared by the patterns, written once. Expanded by name ({ME})
// until no macro remains; RE2 quantifiers such as {0,2} are left untouched.
const std::vector<std::pair<std::string, std::string>>& Macros() {
  static const auto* const kMacros = new std::vector<std::pair<std::string, std::string>>{
      {"{PLEASE}", "(?:PLEASE+|PLEAS|PLS|PLZ|PLEEZ|PLEASEE+|KINDLY|POR FAVOR|PORFAVOR|PORFA)"},
      {"{STOPV}", "(?:STO*P+|STAHP|STAWP|SOTP|STPO)"},
      // Intensifiers between a verb and its object ("stop f***ing texting
      // me": the censored form arrives as F ING once '*' is decoration).
      {"{INTENS}",
       "(?:FUCKING|FUCKIN|FKN|FKING|FUKING|FREAKING|FREAKIN|FRICKING|FRICKIN|FRIGGING|EFFING|DAMN|"
       "GODDAMN|BLOODY|F ING|F KING|F CKING|F CKIN|F KIN|F N|JUST|ALREADY|EVEN)"},
      {"{ME}", "(?:ME|US|(?:MY|THIS) (?:(?:PHONE|CELL) )?(?:NUMBER|NUMBA|PHONE|CELL|LINE))"},
      // The number being texted, named by whoever holds it now: the writer, a
      // relative managing the phone, a wrong-number recipient ("stop texting
      // it", "remove her number", "take it off your list").
      {"{HOLDER}",
       "(?:{ME}|IT|HIM|HER|THEM|(?:HIS|HER|THEIR|THAT|THE) (?:(?:PHONE|CELL) "
       ")?(?:NUMBER|PHONE|CELL)|"
       "THIS PHONE|MY PHONE|"
       // "my husband's phone", "my mom's cell" (the apostrophe is gone).
       "(?:MY|OUR) (?:[A-Z]+ )?[A-Z]+S (?:(?:PHONE|CELL) )?(?:NUMBER|PHONE|CELL))"},
      {"{MSGNOUN}",
       "(?:TEXTS|TXTS|TEXT|TXT|TEXTES|MESSAGES|MESSAGE|MSGS|MSG|MESAGES|MESSGES|SMS|SMSES|SMSS|"
       "ALERTS|NOTIFICATIONS|NOTIFS|PROMOS|PROMOTIONS|ADS|ADVERTISEMENTS|SPAM|MARKETING|"
       "REMINDERS|UPDATES|OFFERS|DEALS|COUPONS|BLASTS|COMMUNICATIONS|COMMUNICATION|CORRESPONDENCE|"
       "SOLICITATIONS|SOLICITATION|NOTICES)"},
      {"{MSG}", "(?:(?:TEXT|TXT|SMS) )?{MSGNOUN}"},
      // Nouns that can only mean the messages themselves, for verbs too vague
      // to carry an opt-out alone ("not interested in these deals" may be
      // about the deal; "...in these texts" is not).
      {"{TXTNOUN}",
       "(?:TEXTS|TXTS|TEXT MESSAGES|MESSAGES|MSGS|SMS|SMSES|ALERTS|NOTIFICATIONS|PROMOS|"
       "PROMOTIONS|PROMOTIONAL (?:TEXTS|MESSAGES)|ADS|SPAM|MARKETING|TEXT ALERTS|SOLICITATIONS)"},
      {"{ENOUGHNOW}",
       "(?:ANY MORE|ANYMORE|NO MORE|EVER AGAIN|GOING FORWARD|FROM NOW ON|FROM YOU(?: GUYS)?|"
       "FROM THIS NUMBER|ON THIS NUMBER|ON MY PHONE)"},
      {"{TXTOBJ}",
       "(?:(?:THESE|THOSE|THE|YOUR|UR|ANY|ALL|ALL YOUR|ALL THESE|ALL THE|ALL OF YOUR|ALL OF THESE|"
       "ANY MORE|MORE|FUTURE) )?(?:{ADJ} ){0,2}{TXTNOUN}"},
      {"{ADJ}",
       "(?:PROMOTIONAL|PROMO|MARKETING|SALES|SALE|DEAL|DAILY|WEEKLY|MONTHLY|APPOINTMENT|APPT|"
       "REMINDER|AUTOMATED|AUTO|SPAM|SPAMMY|STUPID|ANNOYING|FUCKING|FREAKING|DAMN|CONSTANT|"
       "RANDOM|OTHER|ADVERTISING|COUPON|RECURRING|FUTURE|POLITICAL|CAMPAIGN|DELIVERY|SHIPPING|"
       "SHIPMENT|PACKAGE|ORDER|BILLING|PAYMENT|SURVEY|DONATION|FUNDRAISING|REAL ESTATE|PROPERTY|"
       "LISTING|HOUSING|INSURANCE|LOAN|CREDIT|JOB|CHURCH|EVENT|HOLIDAY|SCAM|SCAMMY|JUNK|UNWANTED|"
       "UNSOLICITED)"},
      {"{DET}",
       "(?:THE|THESE|THOSE|THIS|THAT|ALL|ALL THE|ALL THESE|ALL THOSE|ALL OF THESE|ALL OF THE|"
       "ALL OF YOUR|ALL YOUR|YOUR|UR|YOU|ANY|ANY MORE|ANYMORE|MORE|MY|OF THE|OF THESE|OF YOUR|"
       "SO MANY|EVERY|EVERY SINGLE|ANY FURTHER|FURTHER|ADDITIONAL|ANY ADDITIONAL|ANY OTHER)"},
      // One free word is allowed only after a determiner ("the daily deal
      // texts"), so "stop by and text me" cannot reach a message noun.
      {"{MSGOBJ}", "(?:{DET} (?:[A-Z0-9]+ ){0,2})?(?:{ADJ} ){0,2}{MSG}"},
      {"{GER}",
       "(?:TEXTING|TXTING|TEXTIN|TXTIN|TEXTNG|MESSAGING|MESSAGEING|MSGING|CONTACTING|CALLING|"
       "SPAMMING|HARASSING|BOTHERING|SMSING|PESTERING|BUGGING|NOTIFYING|ALERTING|REMINDING|PINGING|"
       "BLOWING UP|HITTING UP|REACHING OUT TO|HITTING|BOMBARDING|FLOODING)"},
      {"{LISTADJ}",
       "(?:MAILING|TEXT|TEXTING|TXT|SMS|MESSAGE|MESSAGING|CONTACT|CALL|CALLING|MARKETING|PROMO|"
       "PROMOTIONAL|SUBSCRIBER|SUBSCRIPTION|DISTRIBUTION|CUSTOMER|NOTIFICATION|ALERT|SPAM|"
       "TEXT MESSAGE|TEXT MESSAGING)"},
      {"{LISTOBJ}",
       "(?:(?:YOUR|UR|THE|THIS|THAT|ALL|ALL YOUR|ALL OF YOUR|ANY|ALL THE|YALLS|YALL|THESE|"
       "ALL THESE) )?(?:(?:{LISTADJ} )?(?:LISTS?|DATABASE|SYSTEM|RECORDS|CONTACTS)|(?:{ADJ} "
       "){0,2}{MSG})|"
       // "the pizza deals text list", "the outage alert texts": free words
       // after a determiner only before a messaging list or message noun,
       // never before a bare LIST ("the waiting list" is not it).
       "(?:YOUR|UR|THE|THIS|THAT|THESE|YALLS|ALL YOUR|ALL THE|ANY|ANY FURTHER|ANY MORE) "
       "(?:[A-Z0-9]+ ){1,2}"
       "(?:{LISTADJ} (?:LISTS?|SYSTEM|DATABASE)|{MSG})|"
       // "remove me from this service" names the messaging program only when
       // nothing follows ("...from the service appointment" is not it).
       "(?:THIS|YOUR|UR|THE) (?:(?:(?:TEXT|SMS|TEXTING|MESSAGING) "
       ")?(?:SERVICE|PROGRAM)|MESSAGING|TEXTING|TEXT MESSAGING)(?: \\.|$)"},
      {"{OKOBJ}",
       "(?:(?:{LISTOBJ}|{MSGOBJ})\\b|(?:ALL|EVERYTHING|IT ALL|THIS|THESE|THEM|YOU|THIS NUMBER|"
       "ALL (?:OF )?(?:THIS|THAT|IT|THEM|THESE|THOSE)|(?:ALL )?(?:THIS|THAT|YOUR) STUFF)"
       "(?: {PLEASE}| NOW| ASAP)*(?: \\.|$))"},
      {"{UNSUB}",
       "(?:UNSUBSCRIBE|UNSUBSCRIBED|UNSUBSCRIBING|UNSUBSCRIB|UNSUBSCRIBEE+|UNSUBCRIBE|UNSUBCRIBED|"
       "UNSUBSCIBE|UNSUBSRIBE|UNSUSCRIBE|UNSUSBCRIBE|UNSCUBSCRIBE|UNSUBSCRIPE|UNSUB|UNSUBBED|"
       "UN SUBSCRIBE)"},
      {"{FILLER}",
       "(?:\\.|{PLEASE}|NOW|IT|THIS|THAT|THEM|ALREADY|THANKS|THANK YOU|THX|TY|OK|OKAY|YES|YEAH|"
       "YA|JUST|ASAP|SERIOUSLY|FFS|DUDE|MAN|OMG|GOD|GRACIAS|ALL|EVERYTHING|AGAIN|FOREVER|"
       "RIGHT NOW|IMMEDIATELY|FOR REAL|NO MORE|BASTA|ENOUGH|I SAID|K|KK|SIR|MAAM|AND|THANK "
       "U|ANYWAY|"
       "ANYWAYS|"
       "THANKYOU)"},
      {"{STRONG}", "(?:{STOPV}|STOPALL|STOP ALL|OPTOUT|OPT OUT|{UNSUB}|REVOKE)"},
      {"{AFTER}",  // what may follow an unsubscribe/opt-out verb for it to count
       "(?: (?:{PLEASE}|NOW|ALREADY|ASAP|TOO|AS WELL|AGAIN|FOR GOOD|IMMEDIATELY|LAST WEEK|"
       "LAST MONTH|YESTERDAY|TWICE|[0-9]+ TIMES))*(?: (?:FROM|OF|TO) (?:(?:RECEIVING|GETTING) )?"
       "{OKOBJ}|(?: \\.|$)| "
       "(?:AND|BUT|WHY|SO|YET|STILL)\\b)"},
  };
  return *kMacros;
}

std::string Expand(std::string pattern) {
  // Three passes cover the deepest nesting ({OKOBJ} -> {LISTOBJ} -> {MSG}
  // -> {MSGNOUN}) with room to spare; a leftover macro fails RE2 compilation
  // loudly in the scorer's Create() and in the tests.
  for (int pass = 0; pass < 5; ++pass) {
    for (const auto& [name, body] : Macros()) {
      // Always as a group: a body with a top-level "|" ({LISTOBJ}) spliced
      // bare would split the whole rule, and "thanks for the service" matched
      // remove-from-list on its own (found by the test2 batch).
      pattern = absl::StrReplaceAll(pattern, {{name, absl::StrCat("(?:", body, ")")}});
    }
  }
  return pattern;
}

std::vector<PhraseRuleSpec> BuildRules() {
  std::vector<PhraseRuleSpec> rules = {
      {"stop-messages",
       "\\b(?:{STOPV}|QUIT|CEASE|END|HALT|CANCEL|NO MORE|TURN OFF|SHUT OFF|DISABLE|DISCONTINUE)"
       "(?: {PLEASE})?(?: IT)?(?: (?:WITH|SENDING|RECEIVING|GETTING|ALL))?(?: "
       "(?:ME|US|HER|HIM|THEM))?"
       " {MSGOBJ}"
       "\\b",
       0.95},
      {"stop-contacting",
       "\\b(?:{STOPV}|QUIT|CEASE|CEASE AND DESIST|HALT|DONT KEEP|DO NOT KEEP|REFRAIN FROM)"
       "(?: {PLEASE})?"
       "(?: {INTENS}){0,2} {GER}"
       "(?: (?:AND|N|OR) {GER})?(?: {HOLDER}\\b|$| \\.)",
       0.95, /*weak=*/false, /*exempt=*/false, /*rhetorical=*/true},
      {"stop-sending",
       "\\b(?:{STOPV}|QUIT|CEASE)(?: {PLEASE})? (?:SENDING|TO SEND)(?: (?:ME|US|HER|HIM|THEM))?"
       "(?: (?:THIS|THESE|THAT|THOSE|THEM|STUFF|CRAP|JUNK|SHIT|THIS CRAP|THIS STUFF|THIS JUNK|"
       "THIS SHIT|ANYTHING|ANY MORE|ANYMORE|IT|EVERYTHING))?(?: TO {HOLDER}| HERE)?"
       "(?: {PLEASE}| NOW| ALREADY)*(?: \\.|$)",
       0.92, /*weak=*/false, /*exempt=*/false, /*rhetorical=*/true},
      // "stop sending me real estate offers": the verb names the sending, so
      // two free words may stand before the message noun.
      {"stop-sending-kind",
       "\\b(?:{STOPV}|QUIT|CEASE|REFRAIN FROM)(?: {PLEASE})? (?:SENDING|TO SEND)"
       "(?: (?:ME|US|HER|HIM|THEM|THIS NUMBER|MY PHONE))?(?: (?:THE|THESE|THOSE|YOUR|UR|ALL))?"
       "(?: [A-Z0-9]+){0,3} {MSG}\\b",
       0.9, /*weak=*/false, /*exempt=*/false, /*rhetorical=*/true},
      {"remove-from-list",
       "\\b(?:(?:TAKE|REMOVE|DELETE|DROP|ERASE|SCRATCH|CROSS|WIPE|REMOVED|TAKEN|DELETED|BLOCK|"
       "REMOVING|TAKING|DELETING|"
       "EXCLUDE|UNLIST)"
       "(?: (?:{HOLDER}|MY INFO|MY NAME))?|(?:GET|PUT|KICK|SIGN) (?:{HOLDER}|MY INFO|MY NAME))(?: "
       "{PLEASE})? "
       "(?:OFF|OUT|FROM|OUT OF|OFF OF|OUTTA|OFFA) {LISTOBJ}\\b",
       0.95},
      {"want-off-list",
       "\\b(?:WANT|WANNA|NEED|LIKE|GET ME|LET ME|HOW (?:DO|CAN|DOES ONE|WOULD) (?:I|WE|ONE)|"
       "(?:CAN|COULD|MAY) (?:I|WE)|"
       "TO TO|WAY TO|HELP ME) "
       "(?:TO )?(?:(?:GET|BE) )?"
       "(?:OFF|OUT OF|TAKEN OFF|REMOVED FROM) {LISTOBJ}\\b",
       0.93},
      {"remove-me",
       "(?:^|\\. )(?:(?:{FILLER}|YOU CAN|CAN YOU|CAN U|U CAN|COULD YOU|IM DONE) )*"
       "(?:REMOVE|DELETE|TAKE|DROP) (?:ME|MY NUMBER|THIS NUMBER|MY PHONE NUMBER|MY "
       "CELL|HIM|HER|THEM|"
       "HIS NUMBER|HER NUMBER|THEIR NUMBER)(?: OFF)?"
       "(?: (?:{FILLER}|FOR GOOD|TOO|AS WELL))*(?: \\.|$)",
       0.92},
      {"lose-my-number",
       "\\b(?:LOSE|FORGET|DELETE|ERASE|REMOVE|DITCH|TRASH|BURN|BLOCK) (?:MY|THIS) "
       "(?:(?:PHONE|CELL) )?"
       "(?:NUMBER|NUMBA|CONTACT INFO|CONTACT)\\b",
       0.93},
      {"unsubscribe", "\\b{UNSUB}(?: {ME})?{AFTER}", 0.93},
      {"opt-out", "\\b(?:(?:OPT|OPTED|OPTING) (?:{ME} )?OUT|OPTOUT|OPTEDOUT){AFTER}", 0.93},
      {"do-not-contact",
       "\\b(?:DONT|DO NOT|DONOT|NEVER|(?:CAN|COULD) (?:YOU|U|YALL)(?: (?:GUYS|ALL|PEOPLE))? NOT|"
       "PLEASE NOT)(?: EVER)? "
       "(?:TEXT|TXT|MESSAGE|MSG|CONTACT|CALL|SMS|SPAM|BOTHER|HARASS|HIT)(?: ME UP| {ME})"
       "(?: (?:{PLEASE}|AGAIN|ANYMORE|ANY MORE|EVER AGAIN|EVER|AT ALL|NO MORE|ON THIS NUMBER|"
       "HERE|FOR ANY REASON|THX|THANKS|THANK YOU|TY|(?:BY|VIA|THROUGH|OVER|THRU) "
       "(?:TEXT|TXT|SMS|TEXT MESSAGE|MESSAGE)))*"
       // "don't text me anymore about flight deals" names what to stop.
       "(?: (?:ABOUT|REGARDING|CONCERNING|WITH) [A-Z0-9 ]+)?(?: \\.|$)",
       0.95},
      {"do-not-send",
       "\\b(?:DONT|DO NOT|DONOT|NEVER)(?: EVER)? SEND (?:(?:ME|US|THIS NUMBER|MY NUMBER) "
       "(?:(?:ANY MORE|ANYMORE|ANY|MORE|THESE|THOSE|YOUR|UR|ALL|OTHER|ANOTHER|FURTHER|ADDITIONAL) "
       ")*|"
       "(?:ANY MORE|ANY FURTHER|ANY ADDITIONAL|FURTHER|ADDITIONAL|NO MORE) )"
       "(?:{ADJ} ){0,2}{MSG}\\b",
       0.93},
      {"dont-want",
       "\\b(?:DONT|DO NOT|DONOT|NO LONGER|DONT EVEN|DONT REALLY|NEVER|DIDNT|DID NOT) "
       "(?:WANT|WISH|LIKE|CARE FOR|CONSENT TO|ASK FOR|ASKED FOR)"
       "(?: TO (?:GET|RECEIVE|BE GETTING|KEEP GETTING|KEEP RECEIVING|BE SENT|HAVE))? {MSGOBJ}\\b",
       0.93},
      // "I don't need any reminders, it's in my calendar" declines a service
      // more often than it revokes consent: recorded, below the threshold.
      {"no-longer-receive",
       "\\b(?:LIKE|WANT|WISH|PREFER|ASK|CHOOSE|ELECT) TO NO LONGER (?:RECEIVE|GET|BE SENT) "
       "{MSGOBJ}\\b",
       0.92},
      {"dont-need", "\\b(?:DONT|DO NOT|DONOT|NO LONGER) NEED(?: TO (?:GET|RECEIVE))? {MSGOBJ}\\b",
       0.75},
      // "I don't want to receive these anymore": a reply to a text, so a
      // receiving verb with a bare demonstrative names the messages when a
      // word of time follows ("...these, wrong size" is about a parcel).
      {"dont-want-these",
       "\\b(?:DONT|DO NOT|DONOT|NO LONGER|DONT EVEN|DONT REALLY) (?:(?:WANT|WISH|CARE) TO )?"
       "(?:GET|RECEIVE|BE GETTING|BE RECEIVING|KEEP GETTING|KEEP RECEIVING|BE SENT) "
       "(?:(?:THESE|THOSE|THEM|ANY(?: MORE)? OF (?:THESE|THOSE|THEM))(?: {PLEASE})? {ENOUGHNOW}|"
       "(?:ANY MORE|ANYMORE|ANYTHING FROM YOU(?: GUYS)?)(?: {ENOUGHNOW})?)"
       "(?: (?:{ENOUGHNOW}|{PLEASE}|THANKS|THX|AT ALL))*(?: \\.|$)",
       0.88},
      {"rather-not",
       "\\b(?:ID|I WOULD|I|WE|WED) (?:RATHER|PREFER|WISH|LIKE)(?: TO)? NOT (?:TO )?"
       "(?:GET|RECEIVE|BE SENT|HAVE|BE GETTING|BE RECEIVING|KEEP GETTING) {MSGOBJ}\\b",
       0.9},
      // "I'd appreciate it if you stopped texting me": a polite conditional.
      {"polite-if",
       "\\b(?:APPRECIATE(?: IT)?|BE GREAT|BE NICE|BE GRATEFUL|PREFER(?: IT)?|LIKE IT|HAPPY|GLAD) "
       "IF (?:YOU|U|YALL|YOU GUYS)(?: (?:WOULD|COULD|CAN|JUST|PLEASE))* "
       "(?:STOPPED|STOP|QUIT|CEASED) "
       "(?:{GER}|SENDING)\\b",
       0.9},
      // "cut it out with the texts", "f off with these texts".
      {"enough-with",
       "\\b(?:CUT IT OUT|KNOCK IT OFF|FUCK OFF|FCK OFF|F OFF|BACK OFF|GIVE IT A REST|QUIT IT|"
       "ENOUGH ALREADY|DONE) WITH {MSGOBJ}\\b",
       0.9},
      // "I want to be removed", "I'd like to be unsubscribed", "have me
      // removed": passive forms of the list rules with the writer as subject,
      // clause-final or naming a list ("...from the roster" is not one; "the
      // onions need to be removed" has another subject).
      {"want-removed",
       "(?:\\b(?:I (?:(?:REALLY|JUST|WOULD|DO|STILL|ALREADY) )?(?:WANT|WANNA|NEED|WISH|ASKED|"
       "LIKE|REQUESTED)|ID LIKE|IM ASKING|I AM ASKING|WE (?:WANT|NEED|WOULD LIKE|ASKED)|HAVE ME|"
       "GET ME)|(?:^|\\. )(?:{PLEASE} )?(?:WANT|WANNA|NEED))(?: TO)?(?: BE| GET)? "
       "(?:REMOVED|TAKEN OFF|UNSUBSCRIBED|OPTED OUT|DELETED)"
       "(?: (?:{PLEASE}|NOW|ASAP|IMMEDIATELY|RIGHT NOW|ALREADY|THANKS|THX))*"
       "(?: \\.|$| (?:FROM|OFF|OFF OF) {LISTOBJ}\\b)",
       0.92},
      {"dont-want-contact",
       "\\b(?:DONT|DO NOT|DONOT|NO LONGER|NEVER) (?:WANT|WISH|CONSENT|AGREE) TO BE "
       "(?:CONTACTED|TEXTED|MESSAGED|SPAMMED|SENT (?:{ADJ} ){0,2}{MSG}|ON {LISTOBJ})\\b",
       0.93},
      // "Cancel my subscription to these texts"; a bare "cancel my
      // subscription" may be the product, so the messages must be named.
      {"cancel-subscription",
       "\\b(?:CANCEL|END|STOP|TERMINATE|DISCONTINUE|REMOVE|DELETE)(?: {PLEASE})?"
       "(?: (?:MY|THE|THIS|ALL))? (?:(?:TEXT|TXT|SMS|MESSAGE|MESSAGING|ALERT|MARKETING|"
       "TEXT MESSAGE|PROMO|PROMOTIONAL) SUBSCRIPTIONS?\\b|SUBSCRIPTIONS? (?:TO|FOR|OF) "
       "{TXTOBJ}\\b)",
       0.93},
      // "enough with the messages already", "I'm sick of your texts": weak,
      // so "sick of these deals selling out lol" is cancelled by delight.
      {"fed-up",
       "\\b(?:ENOUGH (?:WITH|OF)|HAD ENOUGH OF|(?:SICK|TIRED) (?:AND TIRED )?OF|FED UP WITH)"
       "(?: (?:GETTING|RECEIVING))? (?:THESE|THOSE|YOUR|UR|ALL YOUR|ALL THESE|ALL OF YOUR|"
       "ALL OF THESE|THE|ALL THE|SO MANY|ALL OF THE)(?: {ADJ}){0,2} {MSG}\\b",
       0.86, /*weak=*/true},
      // A bare "no texts please" forbids them; "no texts yet?" or "no texts
      // anymore?" report a problem, so politeness or finality must follow.
      {"no-messages",
       "(?:^|\\. )(?:{PLEASE} )?NO (?:MORE )?(?:{ADJ} ){0,2}{MSG}(?: \\.)? "
       "(?:{PLEASE}|THANKS|THANK YOU|"
       "THX|TY|EVER AGAIN|GOING FORWARD|FROM NOW ON|TO THIS NUMBER)\\b",
       0.9},
      // "not interested" alone is not counted: carriers' keyword lists do not
      // include it, and a reply to an offer may decline the offer only. It
      // counts when the messages themselves are named.
      {"not-interested",
       "\\bNOT INTERESTED(?: (?:IN|ON))? (?:RECEIVING |GETTING |BEING SENT )?{TXTOBJ}\\b|"
       "\\bNOT INTERESTED IN (?:RECEIVING|GETTING) (?:THESE|THOSE|THEM|ANY MORE|ANYMORE)"
       "(?: \\.|$)",
       0.9},
      {"revoke-consent",
       "\\b(?:REVOKE|REVOKES|REVOKED|REVOKING|WITHDRAW|WITHDRAWS|WITHDRAWING|RESCIND|RESCINDS|"
       "RESCINDING|TAKE BACK|PULL)"
       "(?: (?:MY|ALL|ANY|THE|HER|HIS|THEIR|OUR))? (?:CONSENT|PERMISSION)\\b",
       0.95},
      {"no-consent",
       "\\bI (?:DO NOT|DONT|DONOT) (?:CONSENT|AGREE)(?: TO (?:THIS|THESE|{MSGOBJ}|BEING "
       "(?:TEXTED|CONTACTED|MESSAGED)))?(?: \\.|$)",
       0.9},
      {"never-signed-up",
       "\\b(?:NEVER|DIDNT|DID NOT) (?:SIGN|SIGNED) UP(?: FOR (?:THIS|THESE|THIS STUFF|{MSGOBJ}))?"
       "(?: \\.|$)",
       0.85, /*weak=*/true},
      // Not {HOLDER}: "leave it alone" is about anything.
      {"leave-me-alone",
       "\\bLEAVE (?:{ME}|MY PHONE|THIS PHONE|(?:HIS|HER|THEIR|THAT) (?:NUMBER|PHONE)) "
       "(?:THE HELL |TF )?ALONE\\b",
       0.88, /*weak=*/true},
      // "how do I stop getting these?", "I want to stop receiving them":
      // a receiving verb with a bare demonstrative, clause-final.
      {"stop-getting-these",
       "\\b(?:{STOPV}|QUIT|END) (?:GETTING|RECEIVING) (?:THESE|THOSE|THEM|ALL THESE|ANY OF THESE|"
       "ANY MORE OF THESE)(?: (?:{ENOUGHNOW}|{PLEASE}))*(?: \\.|$)",
       0.9},
      // "how do i get these to stop", "what do I reply to make the texts stop".
      {"make-them-stop",
       "\\b(?:MAKE|GET|HAVE|WANT|NEED|LIKE) (?:THESE|THOSE|THEM|{MSGOBJ}) (?:TO )?"
       "(?:{STOPV}|END|GO AWAY|DISAPPEAR)\\b",
       0.88},
      // "Can you turn them off?" after naming the texts: weak, so the
      // message must be about messages.
      {"turn-them-off", "\\b(?:TURN|SHUT|SWITCH) (?:THEM|THESE|THOSE|{MSGOBJ}) OFF\\b", 0.85,
       /*weak=*/true},
      // "ur texts r annoying plz stop": weak, needs a message about messages.
      {"final-please-stop", "\\b{PLEASE} (?:{STOPV}|QUIT IT|END IT)(?: {FILLER})*$", 0.85,
       /*weak=*/true},
      {"stop-me-from-getting",
       "\\b{STOPV} (?:ME|US|THIS NUMBER|MY PHONE) FROM (?:GETTING|RECEIVING) "
       "(?:THESE|THOSE|THEM|{MSGOBJ})\\b",
       0.9},
      // "i keep getting these... make it stop": weak, needs a message about
      // messages ("make it stop" alone may be the rain).
      {"make-it-stop", "\\bMAKE IT (?:{STOPV}|END|GO AWAY)\\b", 0.85, /*weak=*/true},
      {"keywords-only", "^(?:{FILLER} )*{STRONG}(?: (?:{FILLER}|{STRONG}))*$", 0.95},
      {"leading-keyword", "(?:^|\\. )(?:{FILLER} )*{STRONG}(?: {FILLER})* \\. ", 0.85,
       /*weak=*/true},
      {"trailing-keyword", "\\. (?:{FILLER} )*{STRONG}(?: {FILLER})*$", 0.88, /*weak=*/true},
      {"threat", "\\bIF YOU (?:DONT|DO NOT|DONOT|WONT) (?:{STOPV}|QUIT|CEASE) (?:{GER}|SENDING)\\b",
       0.95, /*weak=*/false, /*exempt=*/true},
      {"es-no-messages",
       "\\b(?:NO|YA NO) (?:ME )?(?:MANDEN|MANDES|ENVIEN|ENVIES|ESCRIBAN|ESCRIBAS|QUIERO|DESEO)"
       "(?: (?:RECIBIR|MAS|LOS|SUS|ESTOS|TUS|NINGUN|OTROS))* "
       "(?:MENSAJES|MENSAJITOS|TEXTOS|MSJ|MSJS|SMS|MENSAJE|PROMOCIONES|PROMOS|OFERTAS)\\b",
       0.93},
      {"es-stop-sending",
       "\\b(?:DEJEN|DEJA|DEJE|PAREN|PARA) DE "
       "(?:ENVIAR|MANDAR|ESCRIBIR|TEXTEAR|MOLESTAR)(?:ME|NOS)?\\b",
       0.93},
      {"es-remove-me",
       "\\b(?:BORRENME|BORRAME|QUITENME|QUITAME|SAQUENME|SACAME|ELIMINENME|ELIMINAME) DE "
       "(?:LA |SU |TU |ESTA |SUS )?LISTAS?\\b|\\b(?:DENME|DARME|DAME) DE BAJA\\b",
       0.93},
      {"es-dont-write",
       "\\bNO (?:ME|NOS|LE|LES) (?:ESCRIBAN|ESCRIBAS|MANDEN|MANDES|ENVIEN|ENVIES|TEXTEEN|CONTACTEN|"
       "MOLESTEN)(?: MAS)?(?: {PLEASE})*(?: \\.|$)",
       0.9},
      {"es-remove-number",
       "\\b(?:QUITEN|QUITA|BORREN|BORRA|ELIMINEN|ELIMINA|SAQUEN|SACA) (?:MI|SU|ESTE|EL) "
       "(?:NUMERO|TELEFONO|CELULAR) DE (?:LA |SU |TU |ESTA |SUS )?(?:LISTAS?|MENSAJES|TEXTOS)\\b",
       0.93},
      {"es-no-more",
       "(?:^|\\. )(?:{PLEASE} )?NO MAS (?:{ADJ} )?(?:MENSAJES|TEXTOS|MSJ|MSJS|PROMOCIONES|SMS)\\b",
       0.93},
  };
  for (PhraseRuleSpec& rule : rules) rule.pattern = Expand(rule.pattern);
  return rules;
}

std::vector<ContextSpec> BuildContexts() {
  std::vector<ContextSpec> contexts = {
      // "If I reply STOP will I lose my points?" asks about opting out.
      {"hypothetical",
       // "...I'll call if I need anything" is not hypothetical about opting out.
       "\\b(?:IF (?:I|WE) (?:(?:JUST|DO|DID|WERE TO) "
       ")?(?:REPLY|REPLIED|TEXT|TEXTED|SEND|SENT|RESPOND|"
       "ANSWER|UNSUBSCRIBE|UNSUBSCRIBED|OPT|OPTED|STOP|STOPPED|SAY|SAID|TYPE|TYPED|CANCEL|CANCELED|"
       "CANCELLED|END|QUIT|REMOVE|ASK)|WHAT HAPPENS|WHAT IF|WOULD I|WILL I|DO I LOSE|"
       "DOES (?:IT|THAT|THIS) MEAN)\\b",
       0.5},
      // "I texted STOP by mistake" wants the opposite.
      {"accidental",
       // Only the writer's own opt-out action: "I got signed up by mistake,
       // remove me" wants out.
       "\\b(?:(?:TEXTED|SENT|REPLIED|TYPED|HIT|PRESSED|CLICKED|SAID|TAPPED|RESPONDED)"
       "(?: [A-Z]+){0,3} (?:BY (?:ACCIDENT|MISTAKE)|ACCIDENTALLY|ACCIDENTLY)|"
       "(?:ACCIDENTALLY|ACCIDENTLY|MISTAKENLY) (?:TEXTED|SENT|REPLIED|TYPED|HIT|PRESSED|CLICKED|"
       "UNSUBSCRIBED|OPTED OUT|TAPPED)|DIDNT MEAN|DID NOT MEAN|WRONG BUTTON)\\b",
       0.6},
      // "Don't call me, just text" asks for texts.
      {"prefers-texts",
       "\\b(?:JUST TEXT|ONLY TEXT|TEXT ONLY|TEXT ME INSTEAD|TEXT INSTEAD|TEXT(?:ING|S)? (?:IS|ARE) "
       "(?:FINE|BETTER|OK|OKAY|BEST|EASIER|PREFERRED)|PREFER (?:TEXT|TEXTS|TEXTING)|STILL WANT THE "
       "TEXTS|"
       "KEEP THE TEXTS)\\b|"
       // "keep texting me" is a request only where nobody is its subject: a
       // clause start, "please", "you can", "want you to". "Why do you keep
       // texting me" and "you keep sending these" are complaints.
       "(?:^|\\. |\\b(?:{PLEASE}|DO|JUST|YES|OK|OKAY|YOU CAN|U CAN|CAN YOU|FEEL FREE TO|"
       "(?:WANT|NEED|LIKE|WOULD LIKE) (?:YOU|U|YALL) TO) )(?:{PLEASE} )?KEEP "
       "(?:SENDING|TEXTING)\\b",
       0.6},
      {"rhetorical-no", "\\b(?:NO WAY|HELL NO|HECK NO|NOT A CHANCE|NOPE)\\b", 0.6},
      // "Stop! That's amazing" is delight, not revocation; only for weak rules.
      {"delight",
       "\\b(?:LOL|LMAO|HAHA[A-Z]*|AMAZING|CUTE|FUNNY|TOO KIND|SO SWEET|BLUSH|DYING|LOVE|LAUGHING|"
       "AWESOME|TOO GOOD|SO GOOD|HILARIOUS|OBSESSED)\\b",
       0.5, /*weak_only=*/true},
      // "Don't text me before 9am" limits timing; it does not revoke consent.
      {"timing-preference",
       "\\b(?:BEFORE|AFTER|UNTIL|TILL|TIL) (?:[0-9]+|NOON|MIDNIGHT|THE WEEKEND)|\\b(?:SO EARLY|"
       "SO LATE|AT NIGHT|ON WEEKENDS|ON SUNDAYS|DURING WORK|IN THE MORNING)\\b",
       0.5},
      // "Delete my old number from my account" maintains an account.
      {"account-maintenance",
       "\\b(?:(?:MY|HAVE A|GOT A|HERE IS MY|HERES MY|THIS IS MY) NEW NUMBER|OLD "
       "NUMBER|(?:UPDATE|CHANGE) MY (?:NUMBER|PHONE|ADDRESS|EMAIL|CARD|"
       "PAYMENT|NAME|ACCOUNT)|FROM MY ACCOUNT|FROM MY PROFILE)\\b",
       0.5},
      // "Will unsubscribing delete my points?", "instead of opting out": the
      // gerund names the act in a question about it.
      {"gerund-question",
       "\\b(?:WILL|WOULD|DOES|DO|CAN|COULD|INSTEAD OF|WITHOUT|BEFORE|AFTER|ABOUT|IS|BY) "
       "(?:UNSUBSCRIBING|OPTING OUT|OPTING ME OUT|STOPPING)\\b",
       0.5},
      // "did I get unsubscribed?" asks about a state; it requests nothing.
      {"status-question",
       "\\b(?:DID I|WAS I|AM I|HAVE I BEEN|HAS MY NUMBER BEEN|DID MY NUMBER|IS MY NUMBER) "
       "(?:GET |GOT |BEEN |ACCIDENTALLY |SOMEHOW )*(?:UNSUBSCRIBED|REMOVED|OPTED OUT|TAKEN OFF)\\b",
       0.5},
      // A weak rule rests on a bare STOP beside other words; it counts only
      // in a message about messages, numbers, lists or being bothered.
      {"not-about-messages",
       "\\b(?:{MSGNOUN}|{GER}|TEXTED|MESSAGED|NUMBER|NUMBERS|LIST|SUBSCRIBE|SUBSCRIBED|SIGNED UP|"
       "SIGN UP|PERMISSION|CONSENT|WHO IS THIS|WHOS THIS|WHO DIS|WHO THIS|WHO IS THAT|SCAM|SCAMMER|"
       "CONTACT|ALONE|BOTHER|HARASS|HARASSMENT|REPORT|REPORTING|FCC|LAWYER|SUE|ATTORNEY|WRONG|"
       "NEVER|DONT KNOW YOU|DONT KNOW WHO|SPAMMER|PHONE|CELL|STOPPED|UNSUBSCRIBE|OPT OUT|"
       "NOT INTERESTED|ASKED|ASKING|TOLD YOU|SAID|SERIOUSLY|ANNOYING|ENOUGH|AGAIN|SENDING|KEEP)\\b",
       0.5, /*weak_only=*/true, /*when_absent=*/true},
  };
  for (ContextSpec& context : contexts) context.pattern = Expand(context.pattern);
  return contexts;
}

}  // namespace

const std::vector<PhraseRuleSpec>& OptOutPhraseRules() {
  static const auto* const kRules = new std::vector<PhraseRuleSpec>(BuildRules());
  return *kRules;
}

const std::vector<ContextSpec>& OptOutContexts() {
  static const auto* const kContexts = new std::vector<ContextSpec>(BuildContexts());
  return *kContexts;
}

bool IsNegationBridge(const std::string& token) {
  static const auto* const kBridges = new absl::flat_hash_set<std::string>{
      "WANT",     "WANNA",   "TO",       "EVER",    "EVEN",     "NEED",   "PLAN",   "GOING",
      "GONNA",    "YOU",     "U",        "JUST",    "REALLY",   "PLEASE", "PLS",    "TRY",
      "LIKE",     "WOULD",   "I",        "WISH",    "MEAN",     "THINK",  "SHOULD", "CAN",
      "COULD",    "WILL",    "HAVE",     "BE",      "ASK",      "ASKING", "SAY",    "SAID",
      "YET",      "EVERY",   "ACTUALLY", "WANTED",  "THEM",     "YALL",   "GUYS",   "TRYING",
      "PLANNING", "LOOKING", "HOPING",   "MEANING", "INTENDING"};
  return kBridges->contains(token);
}

bool IsNegator(const std::string& token) {
  static const auto* const kNegators = new absl::flat_hash_set<std::string>{
      "DONT",  "DONOT",  "DNT",     "NOT",      "NEVER", "WONT",   "WOULDNT",
      "CANT",  "CANNOT", "COULDNT", "SHOULDNT", "DIDNT", "DOESNT", "ISNT",
      "ARENT", "WASNT",  "WERENT",  "HAVENT",   "HASNT", "NOBODY", "NOONE"};
  return kNegators->contains(token);
}

const std::string* CanonicalSpelling(const std::string& token) {
  static const auto* const kSpellings =
      new absl::flat_hash_map<std::string, std::string>{{"FRM", "FROM"},
                                                        {"FRUM", "FROM"},
                                                        {"FROMM", "FROM"},
                                                        {"STPO", "STOP"},
                                                        {"SOTP", "STOP"},
                                                        {"STAHP", "STOP"},
                                                        {"PLEEZE", "PLEASE"},
                                                        {"PLEASEE", "PLEASE"},
                                                        {"TEXTIN", "TEXTING"},
                                                        {"TXTIN", "TEXTING"},
                                                        {"TXTING", "TEXTING"},
                                                        {"MSGING", "MESSAGING"},
                                                        {"MESAGES", "MESSAGES"},
                                                        {"MESSGES", "MESSAGES"},
                                                        {"MESSAGS", "MESSAGES"},

                                                        {"UNSUSCRIBE", "UNSUBSCRIBE"},
                                                        {"UNSUBCRIBE", "UNSUBSCRIBE"},
                                                        {"REMOVEME", "REMOVE ME"},
                                                        {"TXTS", "TEXTS"},
                                                        {"TEXTES", "TEXTS"},
                                                        {"THSE", "THESE"},

                                                        {"NUMBR", "NUMBER"},
                                                        {"NUMBA", "NUMBER"},

                                                        {"LST", "LIST"},
                                                        {"TEXTN", "TEXTING"},
                                                        {"TXTN", "TEXTING"},
                                                        {"BLOWIN", "BLOWING"},
                                                        {"CALLIN", "CALLING"},
                                                        {"SPAMMIN", "SPAMMING"},
                                                        {"BUGGIN", "BUGGING"},
                                                        {"BOTHERIN", "BOTHERING"},
                                                        {"GETTIN", "GETTING"},
                                                        {"REMOVEE", "REMOVE"},
                                                        {"HITTIN", "HITTING"},
                                                        {"W", "WITH"},
                                                        {"EM", "THEM"},
                                                        {"OFFA", "OFF OF"},
                                                        {"OUTTA", "OUT OF"}};
  // One dropped letter in a key word ("remve", "textng", "mesages"), except
  // where the result is another real word ("lease", "ending", "text").
  static const auto* const kDeletions = [] {
    auto* map = new absl::flat_hash_map<std::string, std::string>;
    static const char* const kVocabulary[] = {"REMOVE",      "TEXTING",   "MESSAGES",   "MESSAGING",
                                              "UNSUBSCRIBE", "RECEIVING", "CONTACTING", "ANYMORE",
                                              "NUMBER",      "PLEASE",    "SENDING",    "MESSAGE"};
    static const char* const kRealWords[] = {"MESSAGE", "LEASE", "UMBER", "ENDING", "PEASE"};
    for (const char* word : kVocabulary) {
      const std::string w = word;
      for (size_t i = 0; i < w.size(); ++i) {
        std::string typo = w.substr(0, i) + w.substr(i + 1);
        if (std::find(std::begin(kRealWords), std::end(kRealWords), typo) != std::end(kRealWords)) {
          continue;
        }
        map->emplace(std::move(typo), w);
      }
    }
    return map;
  }();
  auto it = kSpellings->find(token);
  if (it != kSpellings->end()) return &it->second;
  it = kDeletions->find(token);
  return it == kDeletions->end() ? nullptr : &it->second;
}

}  // namespace smsflow::keywords
