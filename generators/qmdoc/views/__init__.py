"""Page views: computed results (and chart references) in, one frozen, documented context per page out.

One module per page family; the satisfaction page in :mod:`qmdoc.views.satisfaction`, one module per
section. Contexts hold display-ready values (formatted numbers, translated labels, links and images made
by our code); templates loop and print. Views compute no figure and draw no chart.
"""
