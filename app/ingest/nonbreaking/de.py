"""German non-breaking prefixes (the two strengths are explained in ``nonbreaking``).

German also writes ordinal numbers with a full stop ("am 3. Juli", "im 19. Jahrhundert"):
``MONTHS`` and ``ORDINAL_LEADS`` (the words that announce an ordinal) let the splitter keep
such a number in its sentence.
"""

STRONG = """
Hr. Hrn. Fr. Frl. Dipl.-Ing. Dipl.-Kfm. Dir. St.
Nr. Nrn. Abs. Mio. Mrd. Tsd.
z.B. d.h. u.a. v.a. u.U. i.d.R. z.T. z.Zt. i.A. i.V.
bzw. vgl. ca. ggf. evtl. inkl. exkl. zzgl. sog. bspw. insb. gem. lt. mind. s. geb. gest. verh.
"""

WEAK = """
usw. usf. o.Ä. u.Ä. v.Chr. n.Chr. e.V.
Abb. Tab. Kap. Bd. Jh. Jhd. Jg. Hrsg. Verf. Std. Min. Tel. Str. Hbf. Art.
Jan. Feb. Mär. Apr. Jun. Jul. Aug. Sep. Sept. Okt. Nov. Dez.
"""

MONTHS = """
Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November Dezember
Jan. Feb. Mär. Apr. Jun. Jul. Aug. Sep. Sept. Okt. Nov. Dez.
"""

ORDINAL_LEADS = """
am im vom zum zur beim der die das den dem des ein eine einem einen einer eines
jeder jede jedes jedem jeden
"""
