"""``concertem_dcat_ap_3``: what ckanext-dcat's ``euro_dcat_ap_3`` profile leaves out.

Loaded after ``euro_dcat_ap_3`` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
concertem_dcat_ap_3``), it only adds to the graph:

- the EU file-type and IANA media-type IRIs for the formats CKAN keeps as labels;

- the catalogue's recommended DCAT-AP 3 properties, from one JSON setting,
  ``ckanext.concertem_dcat.catalog`` (written by ckanlocal/config.py): titles and
  descriptions in every language, publisher, licence, spatial coverage, theme taxonomy,
  homepage; ``dct:issued`` is the creation date of the oldest dataset.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ckan.common import config
from ckan.plugins import toolkit
from ckanext.dcat.profiles.base import DCAT, DCT, FOAF, RDF, SKOS, VCARD, RDFProfile
from rdflib import BNode, Literal, URIRef

log = logging.getLogger(__name__)
CATALOG_SETTING = "ckanext.concertem_dcat.catalog"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types"
# CKAN format label -> EU file-type code, where they differ (plain-text formats the
# EU list does not name are TXT).
FILE_TYPES = {"TOML": "TXT", "MARKDOWN": "TXT"}


def catalog_settings() -> dict[str, Any]:
    raw = config.get(CATALOG_SETTING) or "{}"
    try:
        value = json.loads(raw)
    except ValueError:
        log.error("%s is not JSON; the catalogue keeps ckanext-dcat's defaults", CATALOG_SETTING)
        return {}
    return value if isinstance(value, dict) else {}


class ConcertemDcatAp3Profile(RDFProfile):
    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        return dataset_dict

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        """Formats and media types as the IRIs DCAT-AP 3 requires.

        CKAN keeps readable labels (``CSV``, ``text/csv``), which ckanext-dcat writes as
        literals; DCAT-AP 3 wants the EU file-type and IANA media-type IRIs.
        """
        g = self.g
        for distribution in list(g.objects(dataset_ref, DCAT.distribution)):
            for value in list(g.objects(distribution, DCT["format"])):
                if isinstance(value, Literal):
                    g.remove((distribution, DCT["format"], value))
                    code = FILE_TYPES.get(str(value).upper(), str(value).upper())
                    iri = URIRef(f"{EU_FILE_TYPE}/{code}")
                    g.add((distribution, DCT["format"], iri))
                    g.add((iri, RDF.type, DCT.MediaTypeOrExtent))
            for value in list(g.objects(distribution, DCAT.mediaType)):
                if isinstance(value, Literal) and "/" in str(value):
                    g.remove((distribution, DCAT.mediaType, value))
                    iri = URIRef(f"{IANA_MEDIA_TYPES}/{value}")
                    g.add((distribution, DCAT.mediaType, iri))
                    g.add((iri, RDF.type, DCT.MediaType))

    # ---- the catalogue ----

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref: Any) -> None:
        settings = catalog_settings()
        if not settings:
            return
        g = self.g
        for key, predicate in (("title", DCT.title), ("description", DCT.description)):
            texts = settings.get(key)
            if isinstance(texts, dict) and texts:
                g.remove((catalog_ref, predicate, None))
                self._texts_add(catalog_ref, predicate, texts)
        if settings.get("homepage"):
            g.remove((catalog_ref, FOAF.homepage, None))
            g.add((catalog_ref, FOAF.homepage, URIRef(settings["homepage"])))
        languages = settings.get("languages") or []
        if languages:
            g.remove((catalog_ref, DCT.language, None))
            for language in languages:
                g.add((catalog_ref, DCT.language, URIRef(language)))
                g.add((URIRef(language), RDF.type, DCT.LinguisticSystem))
        publisher = settings.get("publisher") or {}
        if publisher.get("name"):
            agent = URIRef(publisher["uri"]) if publisher.get("uri") else BNode()
            g.add((catalog_ref, DCT.publisher, agent))
            g.add((agent, RDF.type, FOAF.Agent))
            g.add((agent, FOAF.name, Literal(publisher["name"])))
            if publisher.get("type"):
                g.add((agent, DCT.type, URIRef(publisher["type"])))
            if publisher.get("email"):
                g.add((agent, VCARD.hasEmail, URIRef(f"mailto:{publisher['email']}")))
        if settings.get("licence"):
            licence = URIRef(settings["licence"])
            g.add((catalog_ref, DCT.license, licence))
            g.add((licence, RDF.type, DCT.LicenseDocument))
            if settings.get("licence_type"):
                g.add((licence, DCT.type, URIRef(settings["licence_type"])))
        if settings.get("spatial"):
            g.add((catalog_ref, DCT.spatial, URIRef(settings["spatial"])))
        taxonomy = settings.get("theme_taxonomy") or {}
        if taxonomy.get("uri"):
            scheme = URIRef(taxonomy["uri"])
            g.add((catalog_ref, DCAT.themeTaxonomy, scheme))
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            self._texts_add(scheme, DCT.title, taxonomy.get("title"))
        issued = self._catalog_issued()
        if issued:
            g.add((catalog_ref, DCT.issued, Literal(issued, datatype=XSD_DATE)))

    def _texts_add(self, subject: Any, predicate: Any, texts: Any) -> None:
        if isinstance(texts, dict):
            for lang, value in sorted(texts.items()):
                if value:
                    self.g.add((subject, predicate, Literal(value, lang=lang)))
        elif texts:
            self.g.add((subject, predicate, Literal(texts)))

    def _catalog_issued(self) -> str:
        """The day the oldest public dataset was created: the catalogue's first release."""
        try:
            found = toolkit.get_action("package_search")(
                {"ignore_auth": True},
                {"sort": "metadata_created asc", "rows": 1, "fl": "metadata_created"},
            )
        except Exception:  # a catalogue without its date beats no catalogue
            log.exception("package_search for the catalogue's issued date failed")
            return ""
        results = found.get("results") or []
        if not results:
            return ""
        return str(results[0].get("metadata_created", ""))[:10]
