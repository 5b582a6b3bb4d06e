//! The ids and scopes tenant settings carry, checked before anything is written with them: a
//! group id is a UUID, an ARM scope names a management group, subscription, resource group or
//! resource, a role definition id is scoped, and a policy id cannot leave its URL.

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What an ARM scope is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArmScope {
    ManagementGroup,
    Subscription,
    ResourceGroup,
    Resource,
}

impl ArmScope {
    pub fn describe(self) -> &'static str {
        match self {
            ArmScope::ManagementGroup => "a management group",
            ArmScope::Subscription => "a subscription",
            ArmScope::ResourceGroup => "a resource group",
            ArmScope::Resource => "a resource",
        }
    }
}

/// The kind of an ARM scope, or `None` when the text is not one:
/// `/providers/Microsoft.Management/managementGroups/{name}`, `/subscriptions/{uuid}`,
/// `…/resourceGroups/{name}`, `…/providers/{Namespace}/{type}/{name}[/{type}/{name}…]`.
pub fn arm_scope(text: &str) -> Option<ArmScope> {
    let segments: Vec<&str> = text.strip_prefix('/')?.split('/').collect();
    if !segments.iter().all(|s| is_name_segment(s)) {
        return None;
    }
    let is = |i: usize, word: &str| {
        segments
            .get(i)
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    };
    match segments.len() {
        4 if is(0, "providers") && is(1, "Microsoft.Management") && is(2, "managementGroups") => {
            Some(ArmScope::ManagementGroup)
        }
        2 if is(0, "subscriptions") && is_uuid(segments[1]) => Some(ArmScope::Subscription),
        4 if is(0, "subscriptions") && is_uuid(segments[1]) && is(2, "resourceGroups") => {
            Some(ArmScope::ResourceGroup)
        }
        n if n >= 8
            && n % 2 == 0
            && is(0, "subscriptions")
            && is_uuid(segments[1])
            && is(2, "resourceGroups")
            && is(4, "providers")
            && segments[5].contains('.') =>
        {
            Some(ArmScope::Resource)
        }
        _ => None,
    }
}

/// `[{scope}]/providers/Microsoft.Authorization/roleDefinitions/{uuid}`: a scoped (or
/// tenant-level) Azure role definition id.
pub fn is_role_definition_id(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.rfind("/providers/microsoft.authorization/roledefinitions/") else {
        return false;
    };
    let (scope, rest) = text.split_at(at);
    let id = &rest["/providers/microsoft.authorization/roledefinitions/".len()..];
    is_uuid(id) && (scope.is_empty() || arm_scope(scope).is_some())
}

/// A Graph policy id (`DirectoryRole_…`, `Group_…`): letters, digits, `_`, `-` and `.` only,
/// so that it stays one segment of the URL it is written into.
pub fn is_graph_policy_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// An ARM role management policy: its resource id
/// (`{scope}/providers/Microsoft.Authorization/roleManagementPolicies/{uuid}`, where the scope
/// may also be written `/providers/Microsoft.Subscription/subscriptions/{uuid}` as ARM's own
/// examples do), or its name alone (the UUID).
pub fn is_arm_policy_id(text: &str) -> bool {
    if is_uuid(text) {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    let marker = "/providers/microsoft.authorization/rolemanagementpolicies/";
    let Some(at) = lower.rfind(marker) else {
        return false;
    };
    let (scope, rest) = text.split_at(at);
    let name = &rest[marker.len()..];
    let subscription_provider = scope
        .to_ascii_lowercase()
        .strip_prefix("/providers/microsoft.subscription/subscriptions/")
        .is_some_and(is_uuid);
    is_uuid(name) && (arm_scope(scope).is_some() || subscription_provider)
}

/// One segment of an ARM path: what ARM names are made of, nothing that changes a URL.
fn is_name_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'(' | b')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("62e90394-69f5-4237-9190-012177145e10"));
        assert!(!is_uuid("62e90394-69f5-4237-9190-012177145e1"));
        assert!(!is_uuid("62e90394_69f5-4237-9190-012177145e10"));
        assert!(!is_uuid("finance"));
    }

    #[test]
    fn scopes() {
        let sub = "/subscriptions/129ff972-28f8-46b8-a726-e497be039368";
        assert_eq!(arm_scope(sub), Some(ArmScope::Subscription));
        assert_eq!(
            arm_scope(&format!("{sub}/resourceGroups/rg-1")),
            Some(ArmScope::ResourceGroup)
        );
        assert_eq!(
            arm_scope(&format!(
                "{sub}/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm1"
            )),
            Some(ArmScope::Resource)
        );
        assert_eq!(
            arm_scope("/providers/Microsoft.Management/managementGroups/root"),
            Some(ArmScope::ManagementGroup)
        );
        for bad in [
            "",
            "/",
            "subscriptions/129ff972-28f8-46b8-a726-e497be039368",
            "/subscriptions/not-a-uuid",
            "/subscriptions/129ff972-28f8-46b8-a726-e497be039368/resourceGroups/../x",
            "/subscriptions/129ff972-28f8-46b8-a726-e497be039368?api-version=1",
        ] {
            assert_eq!(arm_scope(bad), None, "{bad}");
        }
    }

    #[test]
    fn role_definitions_and_policies() {
        let sub = "/subscriptions/129ff972-28f8-46b8-a726-e497be039368";
        let role = "/providers/Microsoft.Authorization/roleDefinitions/a795c7a0-d4a2-40c1-ae25-d81f01202912";
        assert!(is_role_definition_id(&format!("{sub}{role}")));
        assert!(is_role_definition_id(role));
        assert!(!is_role_definition_id(
            "a795c7a0-d4a2-40c1-ae25-d81f01202912"
        ));
        assert!(is_arm_policy_id(&format!(
            "{sub}/providers/Microsoft.Authorization/roleManagementPolicies/570c3619-7688-4b34-b290-2b8bb3ccab2a"
        )));
        assert!(is_arm_policy_id(
            "/providers/Microsoft.Subscription/subscriptions/129ff972-28f8-46b8-a726-e497be039368/providers/Microsoft.Authorization/roleManagementPolicies/570c3619-7688-4b34-b290-2b8bb3ccab2a"
        ));
        assert!(!is_arm_policy_id("Resource_sub_backupreader"));
        assert!(is_graph_policy_id(
            "DirectoryRole_cab01047-8ad9-4792-8e42-569340767f1b_70c808b5-0d35-4863-a0ba-07888e99d448"
        ));
        assert!(!is_graph_policy_id("x/../../users"));
    }
}
