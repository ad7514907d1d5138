//! `losant-invites members get`: one member (instanceOrgMember.get).

use crate::args::MemberGet;
use crate::context::Context;
use crate::exit::{Failure, Outcome};
use crate::job::print_one;
use crate::output::{member_text, to_value};

pub async fn run(ctx: &Context, get: MemberGet) -> Result<Outcome, Failure> {
    let client = ctx.reading_client()?;
    let member = client
        .instance_org_member_get()
        .instance_id(get.org.instance_id)
        .org_id(get.org.org_id)
        .user_id(get.user_id)
        .send()
        .await?
        .into_inner();
    print_one(ctx, || member_text(&member), &to_value(&member));
    Ok(Outcome::SUCCESS)
}
