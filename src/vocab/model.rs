//! The vocabulary as the analysis uses it: entries with resolved ids and the relations derived from
//! them (receptors of a cytokine, members of a drug class, drugs acting on a target).

use std::collections::HashMap;

/// Index of an entry in [`Vocabulary::entries`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub u32);

impl EntryId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What kind of thing an entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A signalling protein of the immune system (IL-4, TSLP...).
    Cytokine,
    /// A receptor chain or complex (IL-4Rα, IL-31RA...).
    Receptor,
    /// A cell type (Th2 cell, eosinophil...).
    Cell,
    /// A signalling pathway or immune programme (JAK-STAT, type 2 inflammation).
    Pathway,
    /// A gene or the protein it encodes (filaggrin / FLG).
    Gene,
    /// Another protein (IgE, STAT6...).
    Protein,
    /// An enzyme (JAK1, calcineurin, PDE4...).
    Enzyme,
    /// A medicine.
    Drug,
    /// A class of medicines (JAK inhibitors, topical corticosteroids...).
    DrugClass,
    /// A disease or condition.
    Condition,
    /// A micro-organism.
    Organism,
    /// Any other idea of the field (atopic march, itch-scratch cycle...).
    Concept,
}

impl Kind {
    /// Every kind, in the order used for listings.
    pub const ALL: [Kind; 12] = [
        Kind::Cytokine,
        Kind::Receptor,
        Kind::Cell,
        Kind::Pathway,
        Kind::Gene,
        Kind::Protein,
        Kind::Enzyme,
        Kind::Drug,
        Kind::DrugClass,
        Kind::Condition,
        Kind::Organism,
        Kind::Concept,
    ];

    /// The name used in vocabulary files (`drug-class`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cytokine => "cytokine",
            Kind::Receptor => "receptor",
            Kind::Cell => "cell",
            Kind::Pathway => "pathway",
            Kind::Gene => "gene",
            Kind::Protein => "protein",
            Kind::Enzyme => "enzyme",
            Kind::Drug => "drug",
            Kind::DrugClass => "drug-class",
            Kind::Condition => "condition",
            Kind::Organism => "organism",
            Kind::Concept => "concept",
        }
    }

    /// A human label ("drug class").
    pub fn label(self) -> &'static str {
        match self {
            Kind::DrugClass => "drug class",
            Kind::Gene => "gene / protein",
            other => other.as_str(),
        }
    }

    /// Parses the file name of a kind.
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Where a fact comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Title of the label, guideline, review or page.
    pub title: String,
    /// Its address.
    pub url: String,
}

/// A brand name of a drug and where it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    /// The brand name as written ("Dupixent").
    pub name: String,
    /// Regions or countries ("US", "EU", "JP").
    pub regions: Vec<String>,
}

/// One regulatory decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    /// The agency ("FDA", "EMA", "PMDA", "MHRA"...).
    pub agency: String,
    /// The condition it was approved for.
    pub indication: EntryId,
    /// Who it was approved for ("adults", "patients 12 years and older").
    pub population: String,
    /// Date of the decision, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: String,
    /// Optional detail (severity, line of therapy).
    pub note: Option<String>,
    /// The source of this decision.
    pub source: Source,
}

/// Facts about a drug.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrugFacts {
    /// "monoclonal antibody", "small molecule"...
    pub modality: String,
    /// Every class it belongs to.
    pub classes: Vec<EntryId>,
    /// Direct molecular targets.
    pub targets: Vec<EntryId>,
    /// Molecules whose signalling it blocks through its targets.
    pub blocks_signalling_of: Vec<EntryId>,
    /// Routes of administration.
    pub route: Vec<String>,
    /// approved, investigational, withdrawn or discontinued.
    pub status: Option<String>,
    /// Brand names by region.
    pub brands: Vec<Brand>,
    /// Regulatory decisions.
    pub approvals: Vec<Approval>,
}

/// Facts about a receptor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceptorFacts {
    /// What binds it.
    pub ligands: Vec<EntryId>,
    /// Complexes this chain is part of.
    pub part_of: Vec<EntryId>,
}

/// Facts about a drug class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassFacts {
    /// Wider classes.
    pub broader: Vec<EntryId>,
    /// Whether `wrong-class` may fire for this class.
    pub checkable: bool,
}

/// Facts about a condition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConditionFacts {
    /// Whether the condition is autoimmune, when sources say.
    pub autoimmune: Option<bool>,
    /// Whether it passes from person to person, when sources say.
    pub contagious: Option<bool>,
    /// The source that states whether it is autoimmune.
    pub autoimmune_source: Option<Source>,
    /// The source that states whether it is contagious.
    pub contagious_source: Option<Source>,
}

/// One vocabulary entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique id (`dupilumab`, `il-4ra`).
    pub id: String,
    /// What it is.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Other names, matched ignoring case.
    pub synonyms: Vec<String>,
    /// Short forms, matched with exact case.
    pub abbreviations: Vec<String>,
    /// Short forms that count only where the document supports the meaning.
    pub ambiguous: Vec<String>,
    /// Words that signal the other meaning of an ambiguous form.
    pub ambiguous_with: Vec<String>,
    /// One to three plain-language sentences.
    pub definition: String,
    /// Related entries.
    pub related: Vec<EntryId>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Receptor facts.
    pub receptor: Option<ReceptorFacts>,
    /// Drug facts.
    pub drug: Option<DrugFacts>,
    /// Drug-class facts.
    pub class: Option<ClassFacts>,
    /// Condition facts.
    pub condition: Option<ConditionFacts>,
    /// The file the entry was read from.
    pub origin: String,
}

/// Relations derived once after loading.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    /// For each entry: the receptors that list it as a ligand.
    pub receptors_of: HashMap<EntryId, Vec<EntryId>>,
    /// For each class: its member drugs (including members of narrower classes).
    pub members_of: HashMap<EntryId, Vec<EntryId>>,
    /// For each entry: drugs that target it or block its signalling.
    pub drugs_acting_on: HashMap<EntryId, Vec<EntryId>>,
    /// Entries that are the direct target of at least one drug.
    pub drug_targets: std::collections::HashSet<EntryId>,
}

/// A loaded, validated vocabulary.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    entries: Vec<Entry>,
    index: HashMap<String, EntryId>,
    derived: Derived,
}

impl Vocabulary {
    /// Builds the vocabulary from validated entries (ids already resolved).
    pub(crate) fn from_entries(entries: Vec<Entry>) -> Vocabulary {
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), EntryId(i as u32)))
            .collect();
        let mut vocab = Vocabulary {
            entries,
            index,
            derived: Derived::default(),
        };
        vocab.derived = vocab.derive();
        vocab
    }

    fn derive(&self) -> Derived {
        let mut d = Derived::default();
        for (i, e) in self.entries.iter().enumerate() {
            let id = EntryId(i as u32);
            if let Some(r) = &e.receptor {
                for &l in &r.ligands {
                    d.receptors_of.entry(l).or_default().push(id);
                }
            }
            if let Some(drug) = &e.drug {
                for &t in drug.targets.iter().chain(&drug.blocks_signalling_of) {
                    let list = d.drugs_acting_on.entry(t).or_default();
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
                d.drug_targets.extend(drug.targets.iter().copied());
                for &c in &drug.classes {
                    for anc in self.class_ancestors(c) {
                        let list = d.members_of.entry(anc).or_default();
                        if !list.contains(&id) {
                            list.push(id);
                        }
                    }
                }
            }
        }
        d
    }

    /// All entries, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this index.
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id.index()]
    }

    /// Looks an entry up by its id string.
    pub fn by_id(&self, id: &str) -> Option<EntryId> {
        self.index.get(id).copied()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Derived relations.
    pub fn derived(&self) -> &Derived {
        &self.derived
    }

    /// The class and every wider class above it (breadth first, no repeats).
    pub fn class_ancestors(&self, class: EntryId) -> Vec<EntryId> {
        let mut out = vec![class];
        let mut i = 0;
        while i < out.len() {
            if let Some(c) = &self.entry(out[i]).class {
                for &b in &c.broader {
                    if !out.contains(&b) {
                        out.push(b);
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Every class a drug belongs to, with their wider classes.
    pub fn drug_class_closure(&self, drug: EntryId) -> Vec<EntryId> {
        let mut out = Vec::new();
        if let Some(d) = &self.entry(drug).drug {
            for &c in &d.classes {
                for a in self.class_ancestors(c) {
                    if !out.contains(&a) {
                        out.push(a);
                    }
                }
            }
        }
        out
    }

    /// Drugs that belong to the class or to a narrower one.
    pub fn class_members(&self, class: EntryId) -> &[EntryId] {
        self.derived
            .members_of
            .get(&class)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Drugs that target this entry or block its signalling.
    pub fn drugs_acting_on(&self, target: EntryId) -> &[EntryId] {
        self.derived
            .drugs_acting_on
            .get(&target)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Receptors that list this entry as a ligand.
    pub fn receptors_of(&self, ligand: EntryId) -> &[EntryId] {
        self.derived
            .receptors_of
            .get(&ligand)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every surface form written in the entry (name, synonyms, abbreviations, ambiguous forms, brands).
    pub fn written_forms(&self, id: EntryId) -> Vec<&str> {
        let e = self.entry(id);
        let mut out: Vec<&str> = vec![e.name.as_str()];
        out.extend(e.synonyms.iter().map(String::as_str));
        out.extend(e.abbreviations.iter().map(String::as_str));
        out.extend(e.ambiguous.iter().map(String::as_str));
        if let Some(d) = &e.drug {
            out.extend(d.brands.iter().map(|b| b.name.as_str()));
        }
        out
    }
}
