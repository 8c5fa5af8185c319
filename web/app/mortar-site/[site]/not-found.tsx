/** A site's 404 page, inside its menu and footer. */
export { default } from "@/app/not-found";
