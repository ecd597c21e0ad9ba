"""English non-breaking prefixes (the two strengths are explained in ``nonbreaking``).

"U.S." is weak: it often ends a sentence ("moved to the U.S. He …"), so "U.S. Senate" is
split too; that is the price of keeping the rule simple.
"""

STRONG = """
Messrs. Mmes. Rev. Revs. Hon. Gen. Lt. Col. Capt. Cmdr. Sgt. Maj. Adm.
Gov. Sen. Rep. Pres. Supt. Insp. Fr. St. Mt. Ft.
v. ca.
"""

WEAK = """
No. Nos. Jr. Sr. Inc. Ltd. Corp. Co. Bros. Ph.D. M.D. Dept. Ave. Blvd. Rd.
vol. vols. p. pp. ch. chap. fig. figs. eq. sec. min. art. ed. eds. est. approx. al.
Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.
U.S. U.S.A. U.K. U.N. E.U. D.C. B.C. A.D.
"""
