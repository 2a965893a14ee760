//! Built-in rules for the deal exports of HubSpot, Pipedrive and Salesforce,
//! and the column names their importers expect. Column names are those of
//! each CRM's documented deal (opportunity) properties; stage names are each
//! CRM's default sales pipeline.

use super::rules::{Columns, DateOrder, Rules};

/// A CRM whose deal exports salesproc reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crm {
    HubSpot,
    Pipedrive,
    Salesforce,
}

/// HubSpot's default sales pipeline, in order, with the step each one maps to.
pub const HUBSPOT_STAGES: &[(&str, &str)] = &[
    ("Appointment Scheduled", "introduce"),
    ("Qualified To Buy", "qualify"),
    ("Presentation Scheduled", "present"),
    ("Decision Maker Bought-In", "propose"),
    ("Contract Sent", "agree"),
    ("Closed Won", "agree:won"),
    ("Closed Lost", "lost"),
    // Internal names, as the API and some exports write them.
    ("appointmentscheduled", "introduce"),
    ("qualifiedtobuy", "qualify"),
    ("presentationscheduled", "present"),
    ("decisionmakerboughtin", "propose"),
    ("contractsent", "agree"),
    ("closedwon", "agree:won"),
    ("closedlost", "lost"),
];

/// Pipedrive's default pipeline. Won and lost are in its Status column.
pub const PIPEDRIVE_STAGES: &[(&str, &str)] = &[
    ("Lead In", "research"),
    ("Qualified", "qualify"),
    ("Contact Made", "learn"),
    ("Needs Defined", "learn"),
    ("Demo Scheduled", "present"),
    ("Proposal Made", "propose"),
    ("Negotiations Started", "resolve"),
];

/// Salesforce's default opportunity stages.
pub const SALESFORCE_STAGES: &[(&str, &str)] = &[
    ("Prospecting", "research"),
    ("Qualification", "qualify"),
    ("Needs Analysis", "learn"),
    ("Value Proposition", "present"),
    ("Id. Decision Makers", "present"),
    ("Perception Analysis", "present"),
    ("Proposal/Price Quote", "propose"),
    ("Negotiation/Review", "resolve"),
    ("Closed Won", "agree:won"),
    ("Closed Lost", "lost"),
];

fn cols(pairs: &[(&str, &[&str])]) -> indexmap::IndexMap<String, Columns> {
    pairs
        .iter()
        .map(|(t, c)| {
            (
                t.to_string(),
                Columns::Any(c.iter().map(|s| s.to_string()).collect()),
            )
        })
        .collect()
}

fn table(pairs: &[(&str, &str)]) -> indexmap::IndexMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

impl Crm {
    /// The rules that read this CRM's deal export.
    pub fn rules(self) -> Rules {
        match self {
            Crm::HubSpot => Rules {
                key: Some("hubspot_id".into()),
                columns: cols(&[
                    ("external_id", &["Record ID", "Deal ID", "hs_object_id"]),
                    ("name", &["Deal Name", "dealname"]),
                    ("stage", &["Deal Stage", "dealstage"]),
                    ("value", &["Amount", "amount"]),
                    ("close_date", &["Close Date", "closedate"]),
                    ("created", &["Create Date", "createdate"]),
                    ("owner", &["Deal owner", "Deal Owner", "hubspot_owner_id"]),
                    (
                        "contact.name",
                        &["Associated Contact", "Contact name", "Contact"],
                    ),
                    ("contact.email", &["Email", "Contact email"]),
                    ("contact.phone", &["Phone Number", "Phone"]),
                    ("contact.title", &["Job Title"]),
                    ("answers.research.industry", &["Industry"]),
                    ("extra.company", &["Associated Company", "Company name"]),
                    ("extra.notes", &["Deal Description", "description"]),
                ]),
                stages: table(HUBSPOT_STAGES),
                ..Rules::default()
            },
            Crm::Pipedrive => Rules {
                key: Some("pipedrive_id".into()),
                columns: cols(&[
                    ("external_id", &["Deal - ID", "ID"]),
                    ("name", &["Deal - Title", "Title"]),
                    ("stage", &["Deal - Stage", "Stage"]),
                    ("status", &["Deal - Status", "Status"]),
                    ("value", &["Deal - Value", "Value"]),
                    (
                        "close_date",
                        &["Deal - Expected close date", "Expected close date"],
                    ),
                    ("created", &["Deal - Deal created", "Deal created"]),
                    ("owner", &["Deal - Owner", "Owner"]),
                    (
                        "contact.name",
                        &["Deal - Contact person", "Person - Name", "Contact person"],
                    ),
                    ("contact.email", &["Person - Email"]),
                    ("contact.phone", &["Person - Phone"]),
                    ("contact.title", &["Person - Job title"]),
                    ("answers.research.industry", &["Organization - Industry"]),
                    ("extra.company", &["Deal - Organization", "Organization"]),
                    ("extra.currency", &["Deal - Currency", "Currency"]),
                    ("extra.notes", &["Deal - Notes", "Note - Content"]),
                ]),
                stages: table(PIPEDRIVE_STAGES),
                ..Rules::default()
            },
            Crm::Salesforce => Rules {
                key: Some("salesforce_id".into()),
                columns: cols(&[
                    ("external_id", &["Opportunity ID", "Id"]),
                    ("name", &["Opportunity Name", "Name"]),
                    ("stage", &["Stage", "StageName"]),
                    ("value", &["Amount"]),
                    ("close_date", &["Close Date", "CloseDate"]),
                    ("created", &["Created Date", "CreatedDate"]),
                    ("owner", &["Opportunity Owner", "Owner Name", "OwnerId"]),
                    ("contact.name", &["Contact Name", "Primary Contact"]),
                    ("contact.email", &["Contact Email", "Email"]),
                    ("contact.phone", &["Contact Phone", "Phone"]),
                    ("contact.title", &["Contact Title", "Title"]),
                    ("answers.research.industry", &["Industry"]),
                    (
                        "answers.research.lead-source",
                        &["Lead Source", "LeadSource"],
                    ),
                    ("extra.company", &["Account Name"]),
                    ("extra.notes", &["Description"]),
                ]),
                stages: table(SALESFORCE_STAGES),
                dates: DateOrder::MonthFirst,
                ..Rules::default()
            },
        }
    }

    /// The CRM stage name for a step and status (export).
    pub fn stage_name(self, step: &str, status: crate::prospect::Status) -> &'static str {
        use crate::prospect::Status;
        let (list, won, lost): (&[(&str, &str)], &str, &str) = match self {
            Crm::HubSpot => (HUBSPOT_STAGES, "Closed Won", "Closed Lost"),
            Crm::Pipedrive => (
                PIPEDRIVE_STAGES,
                "Negotiations Started",
                "Negotiations Started",
            ),
            Crm::Salesforce => (SALESFORCE_STAGES, "Closed Won", "Closed Lost"),
        };
        match status {
            Status::Won if self != Crm::Pipedrive => return won,
            Status::Lost if self != Crm::Pipedrive => return lost,
            _ => {}
        }
        // The first CRM stage at this step; else the nearest earlier one.
        const ORDER: &[&str] = &[
            "research",
            "introduce",
            "qualify",
            "learn",
            "present",
            "propose",
            "resolve",
            "agree",
        ];
        let at = ORDER.iter().position(|s| *s == step).unwrap_or(0);
        for s in ORDER[..=at].iter().rev() {
            if let Some((name, _)) = list.iter().find(|(_, t)| t == s) {
                return name;
            }
        }
        list[0].0
    }
}
