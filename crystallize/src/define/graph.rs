//! The experiment graph: every experiment registered in the binary is a node, and every artifact
//! a consumer reads (`producer.artifact::<T>("file")`) is an edge producer → consumer. It is
//! validated before anything runs, gives the run order (producers before consumers, independent
//! experiments together), and renders as text, DOT or Mermaid.

use std::collections::{BTreeMap, BTreeSet};

use crate::define::registration::Registered;

/// An edge: `consumer` reads `file` from `producer` as input `input`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    /// The experiment publishing the artifact.
    pub producer: String,
    /// The experiment reading it.
    pub consumer: String,
    /// The artifact file.
    pub file: String,
    /// The input's name in the consumer.
    pub input: String,
}

/// The validated DAG of registered experiments.
#[derive(Clone, Debug, Default)]
pub(crate) struct Graph {
    nodes: Vec<String>,
    edges: Vec<Edge>,
    /// Per consumer, the experiments it reads from; per producer, those reading from it (so
    /// that walking a graph of thousands of experiments does not scan every edge per node).
    producers: BTreeMap<String, BTreeSet<String>>,
    consumers: BTreeMap<String, BTreeSet<String>>,
    depth: BTreeMap<String, usize>,
}

impl Graph {
    /// Builds and validates the graph: every input names a registered experiment that declares
    /// the artifact (`.output(file)`), and there is no cycle. Every problem is listed.
    pub(crate) fn build(registered: &[Registered]) -> Result<Graph, Vec<String>> {
        let mut problems = Vec::new();
        let by_name: BTreeMap<&str, &Registered> =
            registered.iter().map(|r| (r.name(), r)).collect();
        let mut edges = Vec::new();
        for consumer in registered {
            for input in consumer.experiment.inputs() {
                let Some(producer) = by_name.get(input.producer) else {
                    problems.push(format!(
                        "experiment `{}` reads `{}` from `{}`, which is not registered in this binary",
                        consumer.name(),
                        input.file,
                        input.producer
                    ));
                    continue;
                };
                let declared = producer.experiment.outputs();
                if !declared.contains(&input.file) {
                    problems.push(format!(
                        "experiment `{}` reads `{}` from `{}`, which does not publish it; `{}` declares: {} (add `.output(\"{}\")` to `{}`)",
                        consumer.name(),
                        input.file,
                        input.producer,
                        input.producer,
                        if declared.is_empty() { "no outputs".to_string() } else { declared.join(", ") },
                        input.file,
                        input.producer
                    ));
                    continue;
                }
                edges.push(Edge {
                    producer: input.producer.to_string(),
                    consumer: consumer.name().to_string(),
                    file: input.file.clone(),
                    input: input.name.clone(),
                });
            }
        }
        edges.sort();
        edges.dedup();
        let nodes: Vec<String> = registered.iter().map(|r| r.name().to_string()).collect();
        let mut producers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut consumers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for edge in &edges {
            producers
                .entry(edge.consumer.clone())
                .or_default()
                .insert(edge.producer.clone());
            consumers
                .entry(edge.producer.clone())
                .or_default()
                .insert(edge.consumer.clone());
        }
        let mut graph = Graph {
            nodes,
            edges,
            producers,
            consumers,
            depth: BTreeMap::new(),
        };
        if let Some(cycle) = graph.find_cycle() {
            problems.push(format!(
                "the experiment graph has a cycle: {}; an experiment cannot read, directly or not, what it publishes",
                cycle.join(" -> ")
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        graph.depth = graph.compute_depths();
        Ok(graph)
    }

    /// Producers whose artifacts `consumer` reads.
    pub(crate) fn producers_of(&self, consumer: &str) -> BTreeSet<&str> {
        self.producers
            .get(consumer)
            .map(|producers| producers.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Experiments that read `producer`'s artifacts.
    pub(crate) fn consumers_of(&self, producer: &str) -> BTreeSet<&str> {
        self.consumers
            .get(producer)
            .map(|consumers| consumers.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// `names` with every experiment they depend on, directly or not.
    pub(crate) fn with_ancestors(&self, names: &[&str]) -> BTreeSet<String> {
        let mut found: BTreeSet<String> = BTreeSet::new();
        let mut stack: Vec<&str> = names.to_vec();
        while let Some(name) = stack.pop() {
            if found.insert(name.to_string()) {
                stack.extend(self.producers_of(name));
            }
        }
        found
    }

    /// The longest chain of producers above `name` (0 for experiments that read nothing).
    /// Running experiments in order of depth runs every producer before its consumers, and
    /// experiments of equal depth are independent.
    pub(crate) fn depth(&self, name: &str) -> usize {
        self.depth.get(name).copied().unwrap_or(0)
    }

    fn find_cycle(&self) -> Option<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Visiting,
            Done,
        }
        fn visit<'a>(
            graph: &'a Graph,
            node: &'a str,
            marks: &mut BTreeMap<&'a str, Mark>,
            path: &mut Vec<&'a str>,
        ) -> Option<Vec<String>> {
            match marks.get(node) {
                Some(Mark::Done) => return None,
                Some(Mark::Visiting) => {
                    let start = path.iter().position(|n| *n == node).unwrap_or(0);
                    let mut cycle: Vec<String> =
                        path[start..].iter().map(|n| n.to_string()).collect();
                    cycle.push(node.to_string());
                    return Some(cycle);
                }
                None => {}
            }
            marks.insert(node, Mark::Visiting);
            path.push(node);
            for consumer in graph.consumers_of(node) {
                if let Some(cycle) = visit(graph, consumer, marks, path) {
                    return Some(cycle);
                }
            }
            path.pop();
            marks.insert(node, Mark::Done);
            None
        }
        let mut marks = BTreeMap::new();
        for node in &self.nodes {
            if let Some(cycle) = visit(self, node, &mut marks, &mut Vec::new()) {
                return Some(cycle);
            }
        }
        None
    }

    fn compute_depths(&self) -> BTreeMap<String, usize> {
        fn depth_of(graph: &Graph, node: &str, memo: &mut BTreeMap<String, usize>) -> usize {
            if let Some(depth) = memo.get(node) {
                return *depth;
            }
            let depth = graph
                .producers_of(node)
                .into_iter()
                .map(|producer| depth_of(graph, producer, memo) + 1)
                .max()
                .unwrap_or(0);
            memo.insert(node.to_string(), depth);
            depth
        }
        let mut memo = BTreeMap::new();
        for node in &self.nodes {
            depth_of(self, node, &mut memo);
        }
        memo
    }

    /// The experiments in run order: by depth, then name.
    pub(crate) fn run_order(&self) -> Vec<&str> {
        let mut order: Vec<&str> = self.nodes.iter().map(String::as_str).collect();
        order.sort_by_key(|name| (self.depth(name), *name));
        order
    }

    /// Plain text: the run order by level, then every edge.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        let mut level = usize::MAX;
        for name in self.run_order() {
            if self.depth(name) != level {
                level = self.depth(name);
                out.push_str(&format!("level {level}:\n"));
            }
            out.push_str(&format!("  {name}\n"));
        }
        if !self.edges.is_empty() {
            out.push_str("edges:\n");
            for edge in &self.edges {
                out.push_str(&format!(
                    "  {} -> {} ({})\n",
                    edge.producer, edge.consumer, edge.file
                ));
            }
        }
        out
    }

    /// Graphviz DOT.
    pub(crate) fn to_dot(&self) -> String {
        let mut out = String::from("digraph experiments {\n  rankdir=LR;\n  node [shape=box];\n");
        for name in self.run_order() {
            out.push_str(&format!("  \"{name}\";\n"));
        }
        for edge in &self.edges {
            out.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"{}\"];\n",
                edge.producer, edge.consumer, edge.file
            ));
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart.
    pub(crate) fn to_mermaid(&self) -> String {
        let id = |name: &str| -> String {
            name.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect()
        };
        let mut out = String::from("flowchart LR\n");
        for name in self.run_order() {
            out.push_str(&format!("  {}[\"{name}\"]\n", id(name)));
        }
        for edge in &self.edges {
            out.push_str(&format!(
                "  {} -->|{}| {}\n",
                id(&edge.producer),
                edge.file,
                id(&edge.consumer)
            ));
        }
        out
    }
}
