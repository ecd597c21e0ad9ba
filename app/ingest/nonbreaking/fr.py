"""French non-breaking prefixes (the two strengths are explained in ``nonbreaking``).

"Mme", "Mlle" and "Dr" are usually written without a full stop and need no entry; the
dotted forms are listed for texts that use them.
"""

STRONG = """
MM. Mme. Mmes. Mlle. Mlles. Mgr. Pr. St. Ste. Gén. Col. Cdt. Lt.
p.ex. c.-à-d. ex. env. av. bd. boul.
"""

WEAK = """
etc. av.J.-C. apr.J.-C. J.-C. S.A. Cie.
éd. vol. p. pp. chap. fig. art. réf. hab. min. max.
janv. févr. avr. juil. sept. oct. nov. déc.
"""
