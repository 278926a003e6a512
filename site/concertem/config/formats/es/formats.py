"""Spanish number formats as the whole site writes them (datasets/number_display.py).

Django's Spanish default groups thousands with a no-break space (1 760 835,04); the
site writes 1.760.835,04 in Spanish as in Catalan, like Spain's administrations do, so
that Django's own localisation (floatformat, intcomma, localize) agrees with the portal's
|euros and |number filters on every page.
"""

from django.conf.locale.es.formats import *  # noqa: F403 - dates and inputs unchanged

THOUSAND_SEPARATOR = "."
