"""Several regions in one app: the region follows from the postcode.

A :class:`Regions` collection holds the atlas of every region folder under ``data/regions`` (or
of a given list). :meth:`Regions.region_for_postcode` finds the region whose ``postcodes.csv``
holds a postcode's PC4; a postcode in no region is an :class:`~socialmap.errors.InputError` that
names the regions covered. :meth:`Regions.resolve` does the same and may be forced to one region,
in which case a postcode of another region is an error naming the region that covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import i18n
from .errors import DataError, InputError
from .loader import REGIONS_DIR, load_region, region_path
from .model import Area, Atlas, parse_pc4


def region_folders(root: Path = REGIONS_DIR) -> list[Path]:
    """Every region folder (a folder with a ``region.yaml``) under ``root``, sorted by id."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "region.yaml").is_file())


@dataclass(frozen=True)
class Regions:
    """Read-only collection of region atlases, keyed by region id, with a PC4 → region index."""

    atlases: dict[str, Atlas]
    _by_pc4: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, atlases: Iterable[Atlas]) -> Regions:
        """A collection of loaded atlases. ``DataError`` when two share an id or a PC4."""
        by_id: dict[str, Atlas] = {}
        by_pc4: dict[str, str] = {}
        problems: list[str] = []
        for atlas in atlases:
            rid = atlas.region.id
            if rid in by_id:
                problems.append(f"region id '{rid}' is used by two region folders ({by_id[rid].region.path}, {atlas.region.path})")
                continue
            by_id[rid] = atlas
            for pc4 in atlas.postcodes.index:
                other = by_pc4.setdefault(str(pc4), rid)
                if other != rid:
                    problems.append(f"postcode {pc4} is in two regions ({other} and {rid}); a PC4 may belong to one region only")
        if problems:
            raise DataError(problems)
        return cls(dict(sorted(by_id.items())), by_pc4)

    # ---- the collection ------------------------------------------------------------------
    def __iter__(self) -> Iterator[Atlas]:
        return iter(self.atlases.values())

    def __len__(self) -> int:
        return len(self.atlases)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.atlases)

    def covered(self) -> str:
        """The regions covered, for messages: ``Kennemerland (Haarlem en Zandvoort) [kennemerland, postcodes 2011-2116]``."""
        parts = []
        for rid, atlas in self.atlases.items():
            pcs = atlas.postcodes.index
            span = f"postcodes {pcs.min()}-{pcs.max()}" if len(pcs) else "no postcodes"
            parts.append(f"{atlas.region.name} [{rid}, {span}]")
        return "; ".join(parts) or "none"

    def get(self, region_id: str) -> Atlas:
        """The atlas of a region id; ``InputError`` naming the known ids otherwise."""
        key = (region_id or "").strip()
        if key not in self.atlases:
            raise InputError(
                f"region '{region_id}' is not known (regions: {', '.join(self.atlases) or 'none'})",
                field="region",
                value=region_id,
            )
        return self.atlases[key]

    # ---- postcodes -----------------------------------------------------------------------
    def region_id_for_postcode(self, postcode: str) -> str | None:
        """The id of the region holding the postcode's PC4, or None (``InputError`` for a bad format)."""
        return self._by_pc4.get(parse_pc4(postcode))

    def region_for_postcode(self, postcode: str) -> Atlas:
        """The atlas of the region the postcode lies in; ``InputError`` naming the regions covered."""
        rid = self.region_id_for_postcode(postcode)
        if rid is None:
            raise InputError(
                f"postcode '{postcode}' is outside the regions covered: {self.covered()}",
                field="postcode",
                value=postcode,
            )
        return self.atlases[rid]

    def resolve(self, postcode: str | None = None, area_code: str | None = None,
                region: str | None = None) -> tuple[Atlas, Area | None]:
        """The region and area for a postcode or CBS code.

        ``region`` forces one region: a postcode or code of another region is then an
        ``InputError`` that names the region covering it. Without ``region`` the region follows
        from the postcode, or from the code; with neither, the only region (an error when there
        are several).
        """
        forced = self.get(region) if region else None
        if area_code:
            owner = self._region_of_code(area_code)
            atlas = forced or owner
            if atlas is None:
                raise InputError(
                    f"area_code '{area_code}' is not a CBS code of the regions covered: {self.covered()}",
                    field="area_code",
                    value=area_code,
                )
            if owner is not None and owner is not atlas:
                raise InputError(self._elsewhere("area_code", area_code, owner, atlas), field="area_code", value=area_code)
            return atlas, atlas.area(area_code)
        if postcode:
            owner_id = self.region_id_for_postcode(postcode)
            if owner_id is None and len(self.atlases) == 1:  # one region: its own message
                only = next(iter(self.atlases.values()))
                return only, only.resolve_postcode(postcode)
            if forced is not None:
                if owner_id is not None and owner_id != forced.region.id:
                    raise InputError(self._elsewhere("postcode", postcode, self.atlases[owner_id], forced),
                                     field="postcode", value=postcode)
                if owner_id is None:
                    raise InputError(
                        f"postcode '{postcode}' is outside region {forced.region.name} [{forced.region.id}] "
                        f"and outside every other region covered: {self.covered()}",
                        field="postcode",
                        value=postcode,
                    )
                return forced, forced.resolve_postcode(postcode)
            atlas = self.region_for_postcode(postcode)
            return atlas, atlas.resolve_postcode(postcode)
        if forced is not None:
            return forced, None
        if len(self.atlases) == 1:
            return next(iter(self.atlases.values())), None
        raise InputError(
            f"no postcode or region given: choose a region ({', '.join(self.atlases)}) or give a postcode",
            field="region",
            value="",
        )

    def for_answers(self, answers: Mapping[str, Any], lang: str = "nl", region: str | None = None) -> Atlas | None:
        """The region for a set of answers, for pages that speak the user's language.

        The postcode decides (``area_code`` when there is no postcode), whatever region is chosen
        on screen; ``region`` (the region chosen on screen) is used when the answers do not decide.
        A postcode in no region is an ``InputError`` naming the regions covered. A postcode that is
        not shaped like one returns the chosen (or first) region, whose own check reports it.
        None when nothing decides and there are several regions. (The command line, where
        ``--region`` forces a region, checks with :meth:`resolve` first.)
        """
        from .advisor import is_postcode_shape, normalise_postcode  # the app's postcode rules

        chosen = self.get(region) if region else None
        postcode = str(answers.get("postcode") or "").strip()
        area_code = str(answers.get("area_code") or "").strip()
        if postcode and is_postcode_shape(postcode):
            owner = self._by_pc4.get(normalise_postcode(postcode)[:4])
            if owner is None:
                raise InputError(i18n.t("regions.error.outside_all", lang, value=postcode, regions=self.covered_text(lang)),
                                 field="postcode", value=postcode)
            return self.atlases[owner]
        if postcode:
            return chosen or next(iter(self.atlases.values()))
        if area_code:
            return self._region_of_code(area_code) or chosen or next(iter(self.atlases.values()))
        if chosen is not None:
            return chosen
        return next(iter(self.atlases.values())) if len(self.atlases) == 1 else None

    def covered_text(self, lang: str = "nl") -> str:
        """The regions covered in the user's language: name, municipalities and postcode ranges."""
        from .advisor import postcode_ranges

        return "; ".join(
            i18n.t("regions.covered_item", lang, name=a.region.name,
                   places=", ".join(m.name for m in a.region.municipalities), ranges=postcode_ranges(a.postcodes.index))
            for a in self.atlases.values())

    def _region_of_code(self, code: str) -> Atlas | None:
        key = (code or "").strip().upper()
        return next((a for a in self.atlases.values() if key in a.areas.index), None)

    @staticmethod
    def _elsewhere(what: str, value: str, owner: Atlas, forced: Atlas) -> str:
        return (f"{what} '{value}' lies in region {owner.region.name} [{owner.region.id}], not in the chosen "
                f"region {forced.region.name} [{forced.region.id}]; choose region {owner.region.id} or leave "
                "the region out")

    def illustrative_share(self) -> tuple[int, int]:
        """(illustrative services, all services) over every region."""
        pairs = [a.illustrative_share() for a in self.atlases.values()]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def load_regions(regions: Iterable[str | Path] | None = None) -> Regions:
    """Load region ids or folders (default: every folder under ``data/regions``).

    All problems of all regions are raised together as one ``DataError``, each message prefixed
    with the region folder.
    """
    folders = region_folders() if regions is None else [region_path(r) for r in regions]
    atlases, problems = [], []
    for folder in folders:
        try:
            atlases.append(load_region(folder))
        except DataError as exc:
            problems += [f"{folder.name}: {m}" for m in exc.messages]
    if not folders:
        problems.append(f"no region folder found (expected folders with a region.yaml under {REGIONS_DIR})")
    if problems:
        raise DataError(problems)
    return Regions.of(atlases)


__all__ = ["Regions", "load_regions", "region_folders"]
