"""Ordinary English words that may start a sentence (or an e-mail line) capitalised.

``slm.plugins.faithful`` treats any other capitalised word that its source text lacks
as a possibly invented name. Kept to function words, greetings, sign-offs and the
verbs, nouns and adjectives that business prose starts sentences with; no word that
is commonly a first name, surname, place or product (those must come from the input).
"""
from __future__ import annotations

COMMON_WORDS = frozenset("""
a about above according across actually additionally after afterwards again against ahead all allow almost also
although always am among an and another any anyone anything apologies appreciate appreciated are around as ask
asked at attached available back based be because been before being below best better between both brief briefly
but by can cannot certainly cheers clarify clearly client closing confirm confirmed confirming congratulations
considering could currently customer customers date dear decision delivery details did do does done due during
each either else email enclosed especially even ever every everyone everything example feel feedback few finally
fine first following follow follow-up followup for forward friendly from further furthermore generally get getting
given glad good grateful great greetings had happy has have having he hello help her here hereby hers herself hi
him himself his hope hopefully how however i i'd i'll i'm i've if important in included including indeed information
instead interested is it it's its itself just keep key kind kindly know last later let let's like likewise looking
lot lots main make many may maybe me meanwhile meeting message might mine more moreover most mr mrs ms much must my
myself need needed needs never nevertheless new next no none nor not note noted notes nothing now of off often ok
okay on once one only or order other others otherwise our ours ourselves out over overall own per perhaps please
pleased point points possible possibly price prices pricing probably product products project proposal provide
quick quickly quote rather re really recap regarding regards relevant reply request requested respectfully
responding response risk risks same see send sent service several shall she should since sincerely so some
someone something soon sorry still subject such summary sure thank thanked thanks that that's the their theirs
them themselves then there there's therefore these they they're this those though through thus to together told
too team topic topics total unfortunately unless until up update updated upon us usual usually very via visit want
wanted warm warmly was we we'd we'll we're we've welcome well were what what's whatever when where whether which
while who whole whom whose why will with within without would yes yet you you'd you'll you're you've your yours
yourself action actions item items next-steps steps step owner owners issue issues problem problems concern
concerns call calls agenda attendees discussed discussion decided agreed agreement plan plans goal goals status
timeline budget approval approved pending open closed done complete completed progress review reviewed summary
key-points recap note dear-all all-the-best kind-regards best-regards many-thanks thank-you
""".split())
