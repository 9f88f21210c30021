#!/usr/bin/env python3
"""Print the public API of a crate from rustdoc JSON, one normalized line per item.

Usage:
    public_api.py CRATE.json [OTHER.json ...] > api.txt

The first file is the crate whose public API is listed; further files are crates it
re-exports from that should be followed as if they were part of it (for example
`chime_caps.json chime_caps_generated.json`). Produce the JSON with nightly rustdoc:

    cargo +nightly rustdoc -p <crate> --features test-util -- \
        -Z unstable-options --output-format json

Every line is one fact a user can depend on: a module, a struct and its public fields,
an enum and its variants, a trait and its items, a function or method with its
parameter and return types, a trait implemented for a public type (blanket impls are
left out: they come with the trait's crate, not with ours), or a re-export with the
path it re-exports. Items of the listed crate are written `crate::<public path>` (the
shortest path it can be reached by, so private module names never show), and so are
items of `aws_sdk_chimesdkmeetings`, `chime_caps` and `chime_caps_generated`, which
makes the lists of the official crate and ours comparable with `diff`. Other crates'
items are written by their canonical path (`core::option::Option`, not the
`std::...` spelling of the source), parameter names are dropped (they are not part
of the API), and the lines are sorted.
"""

import json
import sys

# Crates whose items are written `crate::...`: the official crate and ours, so the
# two lists line up item by item.
LOCAL_CRATES = {"aws_sdk_chimesdkmeetings", "chime_caps", "chime_caps_generated"}

# Auto traits the compiler implements and users can name on stable Rust; rustdoc also
# reports internal ones (`Freeze`, `UnsafeUnpin`), which are left out.
AUTO_TRAITS = {"Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"}

# Marker traits that derives implement and stable Rust cannot name: whether a type
# has them says nothing a user can rely on (a hand-written `PartialEq` lacks it).
UNSTABLE_MARKERS = {"core::marker::StructuralPartialEq"}


class Doc:
    """One crate's rustdoc JSON."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.index = data["index"]
        self.paths = data["paths"]
        self.root = str(data["root"])
        self.name = self.index[self.root]["name"]
        self.external = {str(k): v["name"] for k, v in data["external_crates"].items()}

    def crate_name(self, crate_id):
        return self.name if crate_id == 0 else self.external.get(str(crate_id), "?")

    def item(self, item_id):
        return self.index.get(str(item_id))

    def def_path(self, item_id):
        """Canonical path of any item this crate mentions (its own or a dependency's)."""
        entry = self.paths.get(str(item_id))
        if entry is None:
            return None
        return tuple(entry["path"])


class Api:
    def __init__(self, docs):
        self.docs = docs
        self.by_name = {doc.name: doc for doc in docs}
        # (crate name, id) -> every public path the item is reachable at.
        self.public_paths = {}
        # (crate name, definition path) -> (crate name, id), to follow re-exports into
        # the other loaded crates.
        self.by_def_path = {}
        for doc in docs:
            for item_id, entry in doc.paths.items():
                if entry["crate_id"] == 0:
                    self.by_def_path[(doc.name, tuple(entry["path"]))] = (doc.name, item_id)
        self.lines = set()

    # -------------------------------------------------------------------------
    # Walking the public module tree
    # -------------------------------------------------------------------------

    def resolve_use_target(self, doc, target_id):
        """The (doc, item) a `use` points at, following into other loaded crates."""
        if target_id is None:
            return None, None
        item = doc.item(target_id)
        if item is not None and item["crate_id"] == 0:
            return doc, item
        def_path = doc.def_path(target_id)
        if def_path and def_path[0] in self.by_name:
            found = self.by_def_path.get((def_path[0], def_path))
            if found:
                other = self.by_name[found[0]]
                return other, other.item(found[1])
        return None, None

    def walk(self, doc, module, path, visit):
        """Call visit(doc, item, public_path) for each public item under `module`."""
        seen = set()

        def go(doc, module, path):
            key = (doc.name, module["id"], path)
            if key in seen:
                return
            seen.add(key)
            for child_id in module["inner"]["module"]["items"]:
                child = doc.item(child_id)
                if child is None or child["visibility"] != "public":
                    continue
                kind = next(iter(child["inner"]))
                if kind == "use":
                    use = child["inner"]["use"]
                    target_doc, target = self.resolve_use_target(doc, use["id"])
                    if use["is_glob"]:
                        if target is not None and "module" in target["inner"]:
                            go(target_doc, target, path)
                        else:
                            visit(doc, child, path + ("*",))
                    elif target is not None:
                        self.visit_item(target_doc, target, path + (use["name"],), visit, go)
                    else:
                        visit(doc, child, path + (use["name"],))
                    continue
                self.visit_item(doc, child, path + (child["name"],), visit, go)

        go(doc, module, path)

    def visit_item(self, doc, item, path, visit, go):
        visit(doc, item, path)
        if "module" in item["inner"]:
            go(doc, item, path)

    def collect_paths(self):
        main = self.docs[0]

        def record(doc, item, path):
            if "use" in item["inner"]:
                return
            self.public_paths.setdefault((doc.name, str(item["id"])), set()).add(path)

        self.walk(main, main.item(main.root), ("crate",), record)

    def canonical(self, doc, item_id):
        paths = self.public_paths.get((doc.name, str(item_id)))
        if not paths:
            return None
        return min(paths, key=lambda p: (len(p), p))

    # -------------------------------------------------------------------------
    # Rendering types
    # -------------------------------------------------------------------------

    def path_name(self, doc, path):
        """How a resolved path (type, trait) is written."""
        item_id = path["id"]
        item = doc.item(item_id)
        if item is not None and item["crate_id"] == 0:
            public = self.canonical(doc, item_id)
            if public:
                return "::".join(public)
        def_path = doc.def_path(item_id)
        if def_path:
            if def_path[0] in self.by_name:
                found = self.by_def_path.get((def_path[0], def_path))
                if found:
                    public = self.canonical(self.by_name[found[0]], found[1])
                    if public:
                        return "::".join(public)
            if def_path[0] in LOCAL_CRATES:
                return "::".join(("crate",) + def_path[1:])
            return "::".join(def_path)
        written = path["path"].lstrip(":")
        first, _, rest = written.partition("::")
        if first in LOCAL_CRATES:
            return "crate::" + rest
        return written

    def generic_args(self, doc, args):
        if not args:
            return ""
        if "angle_bracketed" in args:
            ab = args["angle_bracketed"]
            parts = [self.generic_arg(doc, a) for a in ab["args"]]
            for c in ab["constraints"]:
                name = c["name"] + self.generic_args(doc, c.get("args"))
                binding = c["binding"]
                if "equality" in binding:
                    term = binding["equality"]
                    value = self.type_(doc, term["type"]) if "type" in term else str(term.get("constant"))
                    parts.append(f"{name} = {value}")
                else:
                    parts.append(f"{name}: {self.bounds(doc, binding['constraint'])}")
            return "<" + ", ".join(parts) + ">" if parts else ""
        if "parenthesized" in args:
            p = args["parenthesized"]
            inputs = ", ".join(self.type_(doc, t) for t in p["inputs"])
            out = f" -> {self.type_(doc, p['output'])}" if p["output"] else ""
            return f"({inputs}){out}"
        return ""  # return-type notation (`::method(..)`) is not used by these crates

    def generic_arg(self, doc, arg):
        if arg == "infer":
            return "_"
        if "lifetime" in arg:
            return arg["lifetime"]
        if "type" in arg:
            return self.type_(doc, arg["type"])
        if "const" in arg:
            return arg["const"].get("expr", "?")
        return "?"

    def bound(self, doc, b):
        if "trait_bound" in b:
            tb = b["trait_bound"]
            hrtb = self.hrtb(tb["generic_params"])
            modifier = {"maybe": "?", "maybe_const": "~const "}.get(tb["modifier"], "")
            trait = tb["trait"]
            return f"{hrtb}{modifier}{self.path_name(doc, trait)}{self.generic_args(doc, trait['args'])}"
        if "outlives" in b:
            return b["outlives"]
        if "use" in b:
            return "use<" + ", ".join(str(u) for u in b["use"]) + ">"
        return "?"

    def bounds(self, doc, bs):
        return " + ".join(self.bound(doc, b) for b in bs)

    @staticmethod
    def hrtb(params):
        if not params:
            return ""
        return "for<" + ", ".join(p["name"] for p in params) + "> "

    def type_(self, doc, t):
        if t is None:
            return "()"
        kind, v = next(iter(t.items()))
        if kind == "resolved_path":
            return self.path_name(doc, v) + self.generic_args(doc, v["args"])
        if kind == "dyn_trait":
            parts = [
                self.hrtb(pt["generic_params"]) + self.path_name(doc, pt["trait"]) + self.generic_args(doc, pt["trait"]["args"])
                for pt in v["traits"]
            ]
            if v.get("lifetime"):
                parts.append(v["lifetime"])
            return "dyn " + " + ".join(parts)
        if kind in ("generic", "primitive"):
            return v
        if kind == "borrowed_ref":
            lifetime = f"{v['lifetime']} " if v.get("lifetime") else ""
            mutability = "mut " if v["is_mutable"] else ""
            return f"&{lifetime}{mutability}{self.type_(doc, v['type'])}"
        if kind == "raw_pointer":
            return f"*{'mut' if v['is_mutable'] else 'const'} {self.type_(doc, v['type'])}"
        if kind == "tuple":
            inner = ", ".join(self.type_(doc, x) for x in v)
            return f"({inner},)" if len(v) == 1 else f"({inner})"
        if kind == "slice":
            return f"[{self.type_(doc, v)}]"
        if kind == "array":
            return f"[{self.type_(doc, v['type'])}; {v['len']}]"
        if kind == "impl_trait":
            return "impl " + self.bounds(doc, v)
        if kind == "infer":
            return "_"
        if kind == "qualified_path":
            self_ty = self.type_(doc, v["self_type"])
            name = v["name"] + self.generic_args(doc, v.get("args"))
            if v.get("trait"):
                trait = self.path_name(doc, v["trait"]) + self.generic_args(doc, v["trait"]["args"])
                return f"<{self_ty} as {trait}>::{name}"
            return f"{self_ty}::{name}"
        if kind == "function_pointer":
            sig = v["sig"]
            inputs = ", ".join(self.type_(doc, ty) for _, ty in sig["inputs"])
            out = f" -> {self.type_(doc, sig['output'])}" if sig["output"] else ""
            return f"{self.hrtb(v['generic_params'])}fn({inputs}){out}"
        if kind == "pat":
            return self.type_(doc, v["type"])
        return f"?{kind}"

    def generics(self, doc, g, skip_synthetic=True):
        params = []
        for p in g["params"]:
            kind, v = next(iter(p["kind"].items()))
            if kind == "lifetime":
                outlives = f": {' + '.join(v['outlives'])}" if v["outlives"] else ""
                params.append(p["name"] + outlives)
            elif kind == "type":
                if v["is_synthetic"] and skip_synthetic:
                    continue
                b = f": {self.bounds(doc, v['bounds'])}" if v["bounds"] else ""
                default = f" = {self.type_(doc, v['default'])}" if v["default"] else ""
                params.append(p["name"] + b + default)
            elif kind == "const":
                params.append(f"const {p['name']}: {self.type_(doc, v['type'])}")
        return "<" + ", ".join(params) + ">" if params else ""

    def where_clause(self, doc, g):
        preds = []
        for w in g["where_predicates"]:
            kind, v = next(iter(w.items()))
            if kind == "bound_predicate":
                preds.append(f"{self.hrtb(v['generic_params'])}{self.type_(doc, v['type'])}: {self.bounds(doc, v['bounds'])}")
            elif kind == "lifetime_predicate":
                preds.append(f"{v['lifetime']}: {' + '.join(v['outlives'])}")
            elif kind == "eq_predicate":
                rhs = v["rhs"]
                rhs = self.type_(doc, rhs["type"]) if "type" in rhs else str(rhs)
                preds.append(f"{self.type_(doc, v['lhs'])} = {rhs}")
        return " where " + ", ".join(preds) if preds else ""

    def signature(self, doc, func):
        header = func["header"]
        qualifiers = "".join(
            word for flag, word in (("is_const", "const "), ("is_async", "async "), ("is_unsafe", "unsafe ")) if header[flag]
        )
        params = []
        for name, ty in func["sig"]["inputs"]:
            if name == "self":
                params.append(self.self_param(doc, ty))
            else:
                params.append(self.type_(doc, ty))
        out = func["sig"]["output"]
        ret = f" -> {self.type_(doc, out)}" if out is not None else ""
        return (
            f"{qualifiers}fn{self.generics(doc, func['generics'])}({', '.join(params)}){ret}"
            f"{self.where_clause(doc, func['generics'])}"
        )

    def self_param(self, doc, ty):
        if ty == {"generic": "Self"}:
            return "self"
        if "borrowed_ref" in ty and ty["borrowed_ref"]["type"] == {"generic": "Self"}:
            ref = ty["borrowed_ref"]
            lifetime = f"{ref['lifetime']} " if ref.get("lifetime") else ""
            return f"&{lifetime}{'mut ' if ref['is_mutable'] else ''}self"
        return "self: " + self.type_(doc, ty)

    # -------------------------------------------------------------------------
    # Emitting lines
    # -------------------------------------------------------------------------

    @staticmethod
    def markers(item):
        marks = []
        if "non_exhaustive" in item["attrs"]:
            marks.append("#[non_exhaustive]")
        if item.get("deprecation") is not None:
            marks.append("#[deprecated]")
        return (" " + " ".join(marks)) if marks else ""

    def emit(self, doc, item, path):
        name = "::".join(path)
        kind, v = next(iter(item["inner"].items()))
        if kind == "use":
            # A re-export of something outside the loaded crates.
            target = v["source"].lstrip(":")
            if v["id"] is not None:
                def_path = doc.def_path(v["id"])
                if def_path:
                    target = "::".join(def_path)
            first, _, rest = target.partition("::")
            if first in LOCAL_CRATES:
                target = "crate::" + rest
            glob = "::*" if v["is_glob"] else ""
            self.lines.add(f"pub use {name} = {target}{glob}")
            return
        canonical = self.canonical(doc, item["id"])
        if canonical and canonical != path:
            self.lines.add(f"pub use {name} = {'::'.join(canonical)}")
            return
        marks = self.markers(item)
        if kind == "module":
            self.lines.add(f"mod {name}{marks}")
        elif kind == "function":
            self.lines.add(f"fn {name}: {self.signature(doc, v)}{marks}")
        elif kind == "struct":
            self.emit_struct(doc, name, v, marks)
        elif kind == "union":
            self.lines.add(f"union {name}{self.generics(doc, v['generics'])}{marks}")
            self.emit_fields(doc, name, v["fields"])
            self.emit_impls(doc, name, v["impls"])
        elif kind == "enum":
            self.emit_enum(doc, name, v, marks)
        elif kind == "trait":
            self.emit_trait(doc, name, v, marks)
        elif kind == "type_alias":
            self.lines.add(f"type {name}{self.generics(doc, v['generics'])} = {self.type_(doc, v['type'])}{marks}")
        elif kind == "constant":
            self.lines.add(f"const {name}: {self.type_(doc, v['type'])}{marks}")
        elif kind == "static":
            mutability = "mut " if v["is_mutable"] else ""
            self.lines.add(f"static {mutability}{name}: {self.type_(doc, v['type'])}{marks}")
        elif kind == "macro":
            self.lines.add(f"macro {name}!{marks}")
        else:
            self.lines.add(f"{kind} {name}{marks}")

    def emit_struct(self, doc, name, v, marks):
        generics = self.generics(doc, v["generics"])
        where = self.where_clause(doc, v["generics"])
        shape = v["kind"]
        if shape == "unit":
            self.lines.add(f"struct {name}{generics}; {where}{marks}".rstrip())
        elif "tuple" in shape:
            fields = []
            for i, field_id in enumerate(shape["tuple"]):
                field = doc.item(field_id) if field_id is not None else None
                fields.append(self.type_(doc, field["inner"]["struct_field"]) if field else "_")
                if field:
                    self.lines.add(f"field {name}.{i}: {fields[-1]}")
            self.lines.add(f"struct {name}{generics}({', '.join(fields)}){where}{marks}")
        else:
            private = " {private fields}" if shape["plain"]["has_stripped_fields"] else ""
            self.lines.add(f"struct {name}{generics}{where}{private}{marks}")
            self.emit_fields(doc, name, shape["plain"]["fields"])
        self.emit_impls(doc, name, v["impls"])

    def emit_fields(self, doc, owner, field_ids):
        for field_id in field_ids:
            field = doc.item(field_id)
            if field is None or field["visibility"] != "public":
                continue
            self.lines.add(f"field {owner}.{field['name']}: {self.type_(doc, field['inner']['struct_field'])}{self.markers(field)}")

    def emit_enum(self, doc, name, v, marks):
        private = " {private variants}" if v["has_stripped_variants"] else ""
        self.lines.add(f"enum {name}{self.generics(doc, v['generics'])}{self.where_clause(doc, v['generics'])}{private}{marks}")
        for variant_id in v["variants"]:
            variant = doc.item(variant_id)
            shape = variant["inner"]["variant"]["kind"]
            vname = f"{name}::{variant['name']}"
            if shape == "plain":
                self.lines.add(f"variant {vname}{self.markers(variant)}")
            elif "tuple" in shape:
                types = [
                    self.type_(doc, doc.item(f)["inner"]["struct_field"]) if f is not None else "_" for f in shape["tuple"]
                ]
                self.lines.add(f"variant {vname}({', '.join(types)}){self.markers(variant)}")
            else:
                self.lines.add(f"variant {vname} {{..}}{self.markers(variant)}")
                self.emit_fields(doc, vname, shape["struct"]["fields"])
        self.emit_impls(doc, name, v["impls"])

    def emit_trait(self, doc, name, v, marks):
        flags = ("unsafe " if v["is_unsafe"] else "") + ("auto " if v["is_auto"] else "")
        supertraits = f": {self.bounds(doc, v['bounds'])}" if v["bounds"] else ""
        dyn = "" if v["is_dyn_compatible"] else " (not dyn-compatible)"
        self.lines.add(
            f"{flags}trait {name}{self.generics(doc, v['generics'])}{supertraits}{self.where_clause(doc, v['generics'])}{dyn}{marks}"
        )
        for item_id in v["items"]:
            self.emit_assoc(doc, f"trait-item {name}", doc.item(item_id), trait_item=True)
        for impl_id in v["implementations"]:
            self.emit_impl(doc, doc.item(impl_id))

    def emit_assoc(self, doc, owner, item, trait_item=False, suffix=""):
        if item is None:
            return
        kind, v = next(iter(item["inner"].items()))
        label = f"{owner}::{item['name']}"
        if kind == "function":
            default = " {default}" if trait_item and v["has_body"] else ""
            self.lines.add(f"{label}: {self.signature(doc, v)}{default}{suffix}{self.markers(item)}")
        elif kind == "assoc_type":
            bounds = f": {self.bounds(doc, v['bounds'])}" if v["bounds"] else ""
            value = f" = {self.type_(doc, v['type'])}" if v.get("type") else ""
            self.lines.add(f"{label}{self.generics(doc, v['generics'])}{bounds}{value}")
        elif kind == "assoc_const":
            value = f" = {v['value']}" if v.get("value") is not None else ""
            self.lines.add(f"{label}: const {self.type_(doc, v['type'])}{value}")

    def emit_impls(self, doc, name, impl_ids):
        for impl_id in impl_ids:
            self.emit_impl(doc, doc.item(impl_id))

    def emit_impl(self, doc, item):
        if item is None:
            return
        v = item["inner"]["impl"]
        if v["blanket_impl"] is not None:
            return
        generics = self.generics(doc, v["generics"])
        where = self.where_clause(doc, v["generics"])
        for_type = self.type_(doc, v["for"])
        if v["trait"] is None:
            # Inherent methods: `fn <type>::<name>: <signature>`, with the impl's own
            # generics and bounds after the signature when it has any.
            in_impl = f" [in impl{generics}{where}]" if generics or where else ""
            for child_id in v["items"]:
                child = doc.item(child_id)
                if child is None or child["visibility"] != "public":
                    continue
                self.emit_assoc(doc, f"fn {for_type}", child, suffix=in_impl)
            return
        trait = v["trait"]
        if v["is_synthetic"] and trait["path"] not in AUTO_TRAITS:
            return  # compiler-internal marker traits (`Freeze`, ...), not nameable on stable
        if self.path_name(doc, trait) in UNSTABLE_MARKERS:
            return
        trait_name = self.path_name(doc, trait) + self.generic_args(doc, trait["args"])
        negative = "!" if v["is_negative"] else ""
        auto = " (auto)" if v["is_synthetic"] else ""
        unsafe = "unsafe " if v["is_unsafe"] else ""
        head = f"{unsafe}impl{generics} {negative}{trait_name} for {for_type}{where}"
        self.lines.add(f"{head}{auto}")
        for child_id in v["items"]:
            child = doc.item(child_id)
            if child is not None and ("assoc_type" in child["inner"] or "assoc_const" in child["inner"]):
                self.emit_assoc(doc, head + " ::", child)

    def run(self):
        self.collect_paths()
        main = self.docs[0]
        self.walk(main, main.item(main.root), ("crate",), self.emit)
        return sorted(self.lines)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    api = Api([Doc(p) for p in argv[1:]])
    for line in api.run():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
