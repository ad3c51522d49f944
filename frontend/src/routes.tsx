import { createBrowserRouter } from "react-router";
import { Layout } from "./components/Layout";
import { BookingPage } from "./pages/BookingPage";
import { DetailsPage } from "./pages/DetailsPage";
import { HomePage } from "./pages/HomePage";
import { MyBookingsPage } from "./pages/MyBookingsPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OfferingPage } from "./pages/OfferingPage";
import { AcceptInvitationPage, RegisterPage, ResetConfirmPage, ResetRequestPage, SignInPage, VerifyEmailPage } from "./pages/AuthPages";
import { SocialDonePage } from "./pages/SocialDonePage";
import { StorefrontPage } from "./pages/StorefrontPage";

// The dashboard is a separate chunk: storefront visitors never download it.
const dashboard = () => import("./dashboard/routes");
const admin = () => import("./admin/AdminConsole");
const profile = () => import("./admin/ProfilePage");

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: "/", element: <HomePage /> },
      { path: "/t/:tenant", element: <StorefrontPage /> },
      { path: "/t/:tenant/o/:offeringId", element: <OfferingPage /> },
      { path: "/t/:tenant/o/:offeringId/book", element: <DetailsPage /> },
      { path: "/t/:tenant/bookings/:bookingId", element: <BookingPage /> },
      { path: "/signin", element: <SignInPage /> },
      { path: "/signin/social", element: <SocialDonePage /> },
      { path: "/register", element: <RegisterPage /> },
      { path: "/reset-password", element: <ResetRequestPage /> },
      { path: "/reset-password/confirm", element: <ResetConfirmPage /> },
      { path: "/verify-email", element: <VerifyEmailPage /> },
      { path: "/invitations/accept", element: <AcceptInvitationPage /> },
      { path: "/me/bookings", element: <MyBookingsPage /> },
      { path: "/dashboard", lazy: async () => ({ Component: (await dashboard()).DashboardHome }) },
      { path: "/dashboard/:tenant/*", lazy: async () => ({ Component: (await dashboard()).DashboardTenant }) },
      { path: "/admin/*", lazy: async () => ({ Component: (await admin()).AdminConsole }) },
      { path: "/me/profile", lazy: async () => ({ Component: (await profile()).ProfilePage }) },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
