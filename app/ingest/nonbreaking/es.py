"""Spanish non-breaking prefixes (the two strengths are explained in ``nonbreaking``)."""

STRONG = """
Sr. Sres. Sra. Sras. Srta. Srtas. Dr. Dres. Dra. Dras. Prof. Profa. Profs.
Lic. Licdo. Licda. Ldo. Lda. Ing. Arq. Mtro. Mtra. Abog.
Gral. Cnel. Tte. Sgto. Cmdte. Almte. Cap.
Excmo. Excma. Ilmo. Ilma. Rvdo. Mons. Pbro. Fr. Sto. Sta. Dña.
p.ej. v.gr. ej. vid. cfr.
núm. núms. pág. págs. art. arts. cap. caps. vol. vols. fig. figs. apdo. av. avda. pza.
"""

WEAK = """
etc. a.m. p.m. a.C. d.C. EE.UU. S.A. S.L. Cía. Hnos. Inc. Ltd.
aprox. ss. tel. Ud. Uds. Vd. Vds.
"""
