//! Charter: the company's business-management regulation as working software.
#![recursion_limit = "256"]

pub mod account;
pub mod audit;
pub mod compliance;
pub mod conduct;
pub mod core;
pub mod inbox;
pub mod org;
pub mod projects;
pub mod regulation;
pub mod risk;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod settings;
pub mod sales;

use crate::account::api::{SignOut, me};
use crate::core::auth::CurrentUser;
use crate::core::error::AppError;
use crate::core::i18n::{I18n, K, Lang, use_i18n};
use crate::core::perm::Role;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

/// The HTML document around the app (server-rendered).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    #[cfg(feature = "ssr")]
    set_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" id="leptos" href="/pkg/charter.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // ECharts first (deferred: it is large and must not block rendering),
                // then the hydration script, so `echarts` exists when charts draw.
                <script defer src="/echarts.min.js"></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Content-Security-Policy with this response's nonce for the hydration scripts.
#[cfg(feature = "ssr")]
fn set_security_policy() {
    use axum::http::{HeaderValue, header};
    if let (Some(nonce), Some(opts)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001 ws://localhost:3001; font-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            opts.insert_header(header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

/// The language of the first render: the server knows it from the request (the
/// user's setting or the language cookie); the browser reads it back from
/// `<html lang>` so that hydration matches.
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::core::auth::try_request_info().map(|r| r.lang).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
}

/// The signed-in user, shared by every page.
#[derive(Clone, Copy)]
pub struct Me(pub Resource<Result<Option<CurrentUser>, AppError>>);

pub fn use_me() -> Me {
    expect_context::<Me>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n(RwSignal::new(initial_lang()));
    provide_context(i18n);
    let sign_out = ServerAction::<SignOut>::new();
    provide_context(sign_out);
    let me_res = Resource::new(move || sign_out.version().get(), |_| me());
    provide_context(Me(me_res));
    Effect::new(move |_| {
        // Keep <html lang> in step when the language changes without a reload.
        #[cfg(feature = "hydrate")]
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", i18n.lang().html_tag());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = i18n.lang();
    });

    // Marks the page as live once hydrated (tests and scripts wait for it).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title text=move || i18n.get(K::BrandName).to_string()/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/login") view=account::pages::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/") view=inbox::pages::MyWorkPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=account::pages::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/regulation") view=regulation::pages::RegulationPage ssr=SsrMode::Async/>
                    <Route path=path!("/compliance") view=compliance::pages::CompliancePage ssr=SsrMode::Async/>
                    <Route path=path!("/conduct") view=conduct::pages::ConductPage ssr=SsrMode::Async/>
                    <Route path=path!("/people/:id") view=org::pages::PersonPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=org::pages::EmployeesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/new") view=org::pages::EmployeeFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id/edit") view=org::pages::EmployeeFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/departments") view=org::pages::DepartmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/positions") view=org::pages::PositionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=audit::pages::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view=settings::pages::SettingsPage ssr=SsrMode::Async/>
                    // Sales (2.2): customers and visits
                    <Route path=path!("/sales/customers") view=sales::customers::pages::CustomersPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/customers/new") view=sales::customers::pages::CustomerFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/customers/:id") view=sales::customers::pages::CustomerPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/customers/:id/edit") view=sales::customers::pages::CustomerFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/visits") view=sales::customers::pages::VisitCalendarPage ssr=SsrMode::Async/>
                    // Sales: pipeline, opportunities, quotations, catalogue
                    <Route path=path!("/sales/pipeline") view=sales::pipeline::pages::PipelineBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/opportunities/new") view=sales::pipeline::pages::NewOpportunityPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/opportunities/:id") view=sales::pipeline::pages::OpportunityDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/quotations/:id") view=sales::pipeline::pages::QuotationDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/products") view=sales::pipeline::pages::ProductsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/products/new") view=sales::pipeline::pages::ProductFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/products/:id/edit") view=sales::pipeline::pages::ProductFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/stages") view=sales::pipeline::pages::StagesPage ssr=SsrMode::Async/>
                    // Sales: contracts, signing authority
                    <Route path=path!("/sales/contracts") view=sales::contracts::pages::ContractsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/contracts/:id") view=sales::contracts::pages::ContractPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/contracts/:id/versions/:rev") view=sales::contracts::pages::ContractVersionPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/signing") view=sales::contracts::pages::SigningPage ssr=SsrMode::Async/>
                    // Sales: orders, receivables
                    <Route path=path!("/sales/orders") view=sales::orders::pages::OrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/orders/new") view=sales::orders::pages::NewOrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/orders/:id") view=sales::orders::pages::OrderDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/receivables") view=sales::orders::pages::ReceivablesPage ssr=SsrMode::Async/>
                    <Route path=path!("/sales/receivables/:id") view=sales::orders::pages::ReceivableDetailPage ssr=SsrMode::Async/>
                    // Sales: dashboard
                    <Route path=path!("/sales/dashboard") view=sales::dashboard::pages::SalesDashboardPage ssr=SsrMode::Async/>
                    // Projects (2.4): static paths before /projects/:id
                    <Route path=path!("/projects") view=projects::initiation::pages::ProjectsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/new") view=projects::initiation::pages::ProjectFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/dashboard") view=projects::monitoring::pages::ProjectDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/allocation") view=projects::execution::pages::AllocationPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/lessons") view=projects::acceptance::pages::LessonsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id") view=projects::initiation::pages::ProjectOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/edit") view=projects::initiation::pages::ProjectFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/plan") view=projects::initiation::pages::ProjectPlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/approval") view=projects::approval::pages::ProjectApprovalPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/execution") view=projects::execution::pages::ProjectExecutionPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/monitoring") view=projects::monitoring::pages::ProjectMonitoringPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/gantt") view=projects::monitoring::pages::ProjectGanttPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/acceptance") view=projects::acceptance::pages::ProjectAcceptancePage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id/report") view=projects::acceptance::pages::AcceptanceReportPage ssr=SsrMode::Async/>
                    // Risk (5.1 to 5.3): static paths before /risks/:id
                    <Route path=path!("/risks") view=risk::register::pages::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/new") view=risk::register::pages::RiskFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/rounds") view=risk::register::pages::RoundsPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/rounds/:id") view=risk::register::pages::RoundPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/measures") view=risk::response::pages::MeasuresPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/dashboard") view=risk::dashboard::pages::RiskDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/indicators") view=risk::monitoring::pages::IndicatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/indicators/:id") view=risk::monitoring::pages::IndicatorPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/reports") view=risk::monitoring::pages::ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/reports/department/:id") view=risk::monitoring::pages::DepartmentReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/reports/warning/:id") view=risk::monitoring::pages::WarningReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/credit") view=risk::credit::pages::CreditPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/credit/new") view=risk::credit::pages::CreditFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/credit/:id") view=risk::credit::pages::CreditEvaluationPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/ageing") view=risk::credit::pages::AgeingPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/:id") view=risk::register::pages::RiskPage ssr=SsrMode::Async/>
                    <Route path=path!("/risks/:id/edit") view=risk::register::pages::RiskFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/risk-categories") view=risk::register::pages::CategoriesPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! { <core::ui::ErrorBox error=AppError::NotFound/> }
}

/// Navigation by module; entries appear as modules are added.
struct NavEntry {
    href: &'static str,
    label: K,
    min_role: Option<Role>,
}

const NAV: &[NavEntry] = &[
    NavEntry { href: "/", label: K::NavMyWork, min_role: None },
    NavEntry { href: "/sales/customers", label: K::NavCustomers, min_role: None },
    NavEntry { href: "/sales/visits", label: K::NavVisits, min_role: None },
    NavEntry { href: "/sales/pipeline", label: K::NavPipeline, min_role: None },
    NavEntry { href: "/sales/contracts", label: K::NavContracts, min_role: None },
    NavEntry { href: "/sales/orders", label: K::NavOrders, min_role: None },
    NavEntry { href: "/sales/receivables", label: K::NavReceivables, min_role: None },
    NavEntry { href: "/sales/products", label: K::NavProducts, min_role: None },
    NavEntry { href: "/sales/dashboard", label: K::NavSalesDashboard, min_role: Some(Role::Manager) },
    NavEntry { href: "/projects", label: K::NavProjects, min_role: None },
    NavEntry { href: "/projects/dashboard", label: K::NavProjectDashboard, min_role: Some(Role::Manager) },
    NavEntry { href: "/projects/allocation", label: K::NavAllocation, min_role: Some(Role::Manager) },
    NavEntry { href: "/projects/lessons", label: K::NavLessons, min_role: None },
    NavEntry { href: "/risks", label: K::NavRisks, min_role: None },
    NavEntry { href: "/risks/dashboard", label: K::NavRiskDashboard, min_role: Some(Role::Manager) },
    NavEntry { href: "/risks/credit", label: K::NavCredit, min_role: None },
    NavEntry { href: "/compliance", label: K::NavCompliance, min_role: None },
    NavEntry { href: "/regulation", label: K::NavRegulation, min_role: None },
    NavEntry { href: "/conduct", label: K::NavConduct, min_role: None },
    NavEntry { href: "/admin/users", label: K::NavUsers, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/departments", label: K::NavDepartments, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/positions", label: K::NavPositions, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/audit", label: K::NavAudit, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/settings", label: K::NavSettings, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/stages", label: K::NavStages, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/signing", label: K::NavSigning, min_role: Some(Role::Admin) },
    NavEntry { href: "/admin/risk-categories", label: K::NavRiskCategories, min_role: Some(Role::Admin) },
];

#[component]
fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let location = use_location();
    let sign_out = expect_context::<ServerAction<SignOut>>();
    let user = move || me.0.get().and_then(|r| r.ok()).flatten();
    let nav = move || {
        user().map(|u| {
            let role = u.role;
            let items = NAV
                .iter()
                .filter(move |n| n.min_role.is_none_or(|r| role >= r))
                .map(|n| {
                    let href = n.href;
                    let current = move || {
                        let p = location.pathname.get();
                        if (href == "/" && p == "/") || (href != "/" && p.starts_with(href)) { Some("page") } else { None }
                    };
                    view! { <li><A href=href attr:aria-current=current>{i18n.t(n.label)}</A></li> }
                })
                .collect_view();
            view! {
                <nav class="sidenav" aria-label=i18n.get(K::NavLabel)>
                    <ul>{items}</ul>
                </nav>
            }
        })
    };
    // The signed-in person in the top bar: name, department and role, account, sign-out.
    let user_box = move || {
        user().map(|u| {
            let role = u.role;
            let name = u.display_name.clone();
            let dept = u.clone();
            view! {
                <div class="userbox">
                    <a href=format!("/people/{}", u.id) class="user-name">{name}</a>
                    <span class="user-meta">{move || format!("{} · {}", dept.department(i18n.lang()), i18n.get(role.key()))}</span>
                    <a href="/account" class="user-link">{i18n.t(K::NavAccount)}</a>
                    <ActionForm action=sign_out attr:class="inline">
                        <button type="submit" class="btn btn-small">{i18n.t(K::AuthSignOut)}</button>
                    </ActionForm>
                </div>
            }
        })
    };
    view! {
        <header class="topbar">
            <a href="/" class="brand">{i18n.t(K::BrandName)}</a>
            <span class="brand-sub">{i18n.t(K::BrandTagline)}</span>
            <Transition fallback=|| ()>{user_box}</Transition>
            <LanguageSwitch/>
        </header>
        <div class="frame">
            <Transition fallback=|| ()>{nav}</Transition>
            <main id="main">{children()}</main>
        </div>
    }
}

/// Switches between Simplified Chinese and English. A plain form post without
/// JavaScript; with it, the switch is instant and saved in the background.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<crate::account::api::SetLanguage>::new();
    let other = move || match i18n.lang() {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let label = move || other().name();
    view! {
        <form method="post" action="/api/account/language" class="lang-switch">
            <input type="hidden" name="lang" value=move || other().code()/>
            <button
                type="submit"
                class="btn btn-small"
                data-testid="lang-switch"
                on:click=move |ev| {
                    ev.prevent_default();
                    let to = other();
                    i18n.0.set(to);
                    act.dispatch(crate::account::api::SetLanguage { lang: to.code().to_string() });
                }
            >
                {label}
            </button>
        </form>
    }
}

/// Renders `f(user)` for a signed-in user, or a prompt to sign in.
#[component]
pub fn RequireUser<F, V>(f: F) -> impl IntoView
where
    F: Fn(CurrentUser) -> V + Send + Sync + 'static + Clone,
    V: IntoView + 'static,
{
    let me = use_me();
    let i18n = use_i18n();
    view! {
        <Suspense fallback=|| view! { <core::ui::Loading/> }>
            {
                let f = f.clone();
                move || {
                    let f = f.clone();
                    me.0.get().map(move |r| match r {
                        Ok(Some(u)) => f(u).into_any(),
                        _ => view! {
                            <div class="alert">
                                <p>{i18n.t(K::ErrUnauthenticated)}</p>
                                <a class="btn" href="/login">{i18n.t(K::AuthSignIn)}</a>
                            </div>
                        }
                        .into_any(),
                    })
                }
            }
        </Suspense>
    }
}
