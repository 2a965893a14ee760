#!/usr/bin/env bash
# Rebuilds examples/demo: ~40 realistic prospects made with salesproc's own
# writer, their histories spread over months (SALESPROC_NOW sets each event's
# time). Deterministic: the same script gives the same files.
# Usage: examples/make-demo.sh [DIR]   (default: examples/demo next to this script)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
demo=${1:-$here/demo}
bin=${SALESPROC:-salesproc}
rm -rf "$demo"
"$bin" init "$demo" --no-git -q
rm -rf "$demo/checklists" "$demo/.gitattributes" "$demo/.gitignore"
# The demo lives inside salesproc's own repository: never commit to it.
cat > "$demo/salesproc.yaml" <<'YAML'
# The demo pipeline. It lives inside salesproc's own repository, so writes
# here are never committed; copy the folder to try writes:
#   cp -r examples/demo /tmp/demo && salesproc --dir /tmp/demo next fabrikam-freight
commit: false
YAML
export SALESPROC_DIR=$demo

day=""   # current date of the prospect being written
rep=""
sp() { SALESPROC_NOW="${day}T${clock:-10:00:00}Z" SALESPROC_USER="$rep" "$bin" -q --no-commit "$@"; }
later_days() { day=$(date -u -d "$day + $1 days" +%F); }

# A fixed pseudo-random sequence (bash reseeds $RANDOM in subshells, so no $(...) here).
seed=7
rnd() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); r=$(( seed / 65536 % $1 )); }
pick() { local a=("$@"); rnd ${#a[@]}; choice=${a[r]}; }

# Answers the required (and some optional) items of the current step, then decides yes.
advance() {
  local id=$1 stage
  stage=$(sp show "$id" --format json | sed -n 's/^  "stage": "\(.*\)",$/\1/p')
  case $stage in
    research)
      sp answer "$id" industry "$industry"
      sp answer "$id" company-size "$size"
      sp answer "$id" lead-source "$source"
      sp answer "$id" website-reviewed yes ;;
    introduce)
      sp answer "$id" first-contact "$day"
      pick 'faster quotes, fewer manual steps' 'one view of all orders' 'audit trail for compliance' 'cut onboarding time' 'real-time stock levels, fewer stock-outs'
      sp answer "$id" stated-needs "$choice"
      sp answer "$id" value-shared yes
      pick call video meeting email
      sp answer "$id" channel "$choice" ;;
    qualify)
      sp answer "$id" role-in-decision "$role"
      pick 'CFO, COO' 'Head of IT' 'CEO' 'VP Operations, procurement' 'CTO, CFO'
      sp answer "$id" decision-makers "$choice"
      sp answer "$id" buying-process "$buying"
      sp answer "$id" fit yes ;;
    learn)
      pick 'Halve the time from order to invoice' 'Pass the next audit without findings' 'Grow 30% without new hires' 'Replace spreadsheets before peak season'
      sp answer "$id" goals "$choice"
      pick 'double data entry, errors' 'no audit trail' 'slow month-end close' 'manual reconciliation'
      sp answer "$id" pain-points "$choice"
      pick 15000 24000 40000 60000 90000
      sp answer "$id" budget "$choice"
      pick approved planned approved unknown
      sp answer "$id" budget-status "$choice"
      sp answer "$id" deal-ready yes ;;
    present)
      sp answer "$id" presented-on "$day"
      pick 'CFO, controller' 'COO, IT lead' 'CEO, CFO, IT' 'operations team'
      sp answer "$id" audience "$choice"
      sp answer "$id" deck-shared yes
      pick 'SSO with Okta' 'SAP connector' 'mobile app' 'German UI' 'API webhooks'
      sp answer "$id" feature-requests "$choice" ;;
    propose)
      pick 18000 24000 36000 48000 72000
      sp answer "$id" offer-value "$choice"
      sp answer "$id" proposal-sent "$day"
      pick 'spreadsheets' 'incumbent ERP module' 'a local integrator' 'two SaaS rivals'
      sp answer "$id" competitors "$choice" ;;
    resolve)
      pick 'price per seat' 'data migration effort' 'security review' 'contract length'
      sp answer "$id" objections "$choice"
      pick done not-needed done
      sp answer "$id" legal-review "$choice"
      sp answer "$id" pricing-agreed yes ;;
    agree)
      sp answer "$id" signed-on "$day"
      pick 18000 24000 36000 48000
      sp answer "$id" contract-value "$choice"
      sp answer "$id" next-steps-agreed yes
      pick 'Fastest time to value' 'The audit trail' 'Our onboarding plan' 'Price and support in their time zone'
      sp answer "$id" win-reason "$choice" ;;
  esac
  rnd 8; later_days $(( r + 1 ))
  sp decide "$id" yes
  rnd 6; later_days $(( r + 1 ))
}

# name|industry|size|role|buying|source|start|rep|plan
# plan: y advance, n:WHY lose, l:WHY later (nurture), f set a follow-up, i:TEAM:TEXT insight
# (in plans, _ stands for a space)
while IFS='|' read -r name industry size role buying source start rep plan; do
  [ -z "$name" ] && continue
  day=$start
  pick 'Jane Doe' 'Ali Khan' 'Maria Rossi' 'Tom Berg' 'Sofia Lind' 'Chen Wei'
  id=$(sp add "$name" --owner "$rep" --contact "$choice")
  for step in $plan; do
    case $step in
      y) advance "$id" ;;
      n:*) later_days 3; why=${step#n:}; sp decide "$id" no --why "${why//_/ }"; later_days 2 ;;
      l:*) later_days 3; why=${step#l:}; sp decide "$id" later --why "${why//_/ }" --revisit "$(date -u -d "$day + 60 days" +%F)"; later_days 45 ;;
      f)
        pick 'Call to book the demo' 'Send the proposal' 'Check in after the board meeting' 'Share the security questionnaire'
        sp follow-up "$id" "$(date -u -d "$day + 7 days" +%F)" "$choice" ;;
      i:*) rest=${step#i:}; text=${rest#*:}; sp insight "$id" --for "${rest%%:*}" "${text//_/ }" ;;
    esac
  done
done <<'PLANS'
Northwind Logistics|Logistics|420|decision-maker|committee|referral|2026-05-04|sam|y y y y y y y y
Contoso Retail|Retail|1800|influencer|procurement|inbound|2026-05-06|kim|y y n:No_budget_this_year
Fabrikam Freight|Logistics|95|champion|committee|event|2026-05-11|sam|y y y y i:product:Needs_SSO_with_Okta y l:Budget_moves_to_the_next_fiscal_year y y y y
Tailspin Toys|Retail|60|decision-maker|single-signer|content|2026-05-13|kim|y y y y y y y y
Litware Health|Healthcare|2300|gatekeeper|board-approval|outbound|2026-05-18|sam|y n:Not_the_buyer_and_will_not_introduce_us
Adatum Insurance|Insurance|5200|influencer|procurement|partner|2026-05-20|ana|y y y y y l:Waiting_for_the_SAP_connector_on_our_roadmap
Proseware Labs|Software|35|decision-maker|single-signer|inbound|2026-05-25|ana|y y y y y y y y
Wingtip Travel|Travel|240|champion|committee|event|2026-05-27|kim|y y y l:Hiring_freeze_until_Q1 f
Margie's Travel|Travel|18|decision-maker|trial-first|referral|2026-06-01|sam|y y y y y y n:Chose_a_cheaper_local_tool
Alpine Ski House|Hospitality|75|influencer|committee|event|2026-06-03|ana|y y y y n:Season_starts_and_no_time_to_switch
Coho Winery|Food and beverage|45|decision-maker|single-signer|content|2026-06-08|kim|y y y y y y y y
Lucerne Publishing|Media|310|user|committee|inbound|2026-06-10|sam|y y n:Only_a_user_no_budget_authority
Humongous Insurance|Insurance|8800|influencer|procurement|outbound|2026-06-15|ana|y y y y y y l:Legal_review_of_data_residency_takes_another_quarter
Blue Yonder Airlines|Travel|3900|champion|board-approval|partner|2026-06-17|kim|y y y y i:marketing:Found_us_through_the_partner_webinar y y y y
Trey Research|Research|120|decision-maker|trial-first|content|2026-06-22|sam|y y y y y n:Pilot_showed_gaps_in_reporting
Woodgrove Bank|Finance|6100|gatekeeper|procurement|outbound|2026-06-24|ana|y y l:Existing_contract_with_incumbent_until_next_year
Fourth Coffee|Food and beverage|55|decision-maker|single-signer|referral|2026-06-29|kim|y y y y y y y y
Graphic Design Institute|Education|140|influencer|committee|inbound|2026-07-01|sam|y y y l:Budget_cycle_starts_in_January f
School of Fine Art|Education|90|user|board-approval|event|2026-07-06|ana|y n:No_need_for_this_yet
VanArsdel Ltd|Manufacturing|780|decision-maker|committee|referral|2026-07-08|kim|y y y y y y y y
Relecloud|Software|260|champion|trial-first|inbound|2026-07-13|sam|y y y y y y y i:product:Wants_API_webhooks_for_their_ERP
Wide World Importers|Logistics|1500|influencer|procurement|partner|2026-07-15|ana|y y y y y l:Waiting_for_German_UI
Consolidated Messenger|Logistics|330|decision-maker|committee|outbound|2026-07-20|kim|y y y y y y n:Lost_on_price_per_seat
First Up Consultants|Consulting|25|decision-maker|single-signer|referral|2026-07-22|sam|y y y y y y y y
Bellows College|Education|410|influencer|board-approval|content|2026-07-27|ana|y y y f
Southridge Video|Media|70|champion|committee|event|2026-07-29|kim|y y y y y y y
Datum Corporation|Software|980|decision-maker|procurement|inbound|2026-08-03|sam|y y y y y i:product:Security_team_asks_for_SOC_2_report y
City Power & Light|Energy|4200|gatekeeper|board-approval|outbound|2026-08-05|ana|y y n:Public_tender_required
Nod Publishers|Media|150|decision-maker|single-signer|content|2026-08-10|kim|y y y y y y y y
Lamna Healthcare|Healthcare|1100|influencer|committee|partner|2026-08-12|sam|y y y y l:Reorganisation_champion_left
Tailwind Traders|Retail|640|champion|committee|referral|2026-08-17|ana|y y y y y y y
Munson's Pickles|Food and beverage|40|decision-maker|single-signer|event|2026-08-19|kim|y y y f
Liberty's Delightful Sinful Bakery|Food and beverage|22|decision-maker|trial-first|inbound|2026-08-24|sam|y y y y y n:Went_with_spreadsheets_after_all
Woodgrove Energy|Energy|2600|influencer|procurement|outbound|2026-08-26|ana|y y y y y y y
Best For You Organics|Retail|180|decision-maker|committee|content|2026-09-01|kim|y y y y f i:marketing:Read_our_guide_on_stock_planning
Contoso Pharmaceuticals|Healthcare|7400|gatekeeper|board-approval|partner|2026-09-03|sam|y y
Adventure Works Cycles|Manufacturing|520|champion|committee|referral|2026-09-08|ana|y y y y y y
Fabrikam Residences|Real estate|210|decision-maker|single-signer|inbound|2026-09-14|kim|y y y
Northwind Traders|Retail|880|influencer|procurement|event|2026-09-21|sam|y f
Proseware Health|Healthcare|150|champion|trial-first|content|2026-10-05|ana|y
PLANS
"$bin" --dir "$demo" fmt -q
"$bin" --dir "$demo" validate -q
echo "wrote $(ls "$demo"/prospects/*.yaml | wc -l) prospects to $demo" >&2
