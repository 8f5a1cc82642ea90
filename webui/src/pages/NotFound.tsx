import { Link } from "react-router";

export function NotFound() {
  return (
    <div className="card">
      <h1 className="text-lg font-semibold">No such page</h1>
      <p className="mt-2 text-sm">
        <Link to="/" className="text-teal-700 underline dark:text-teal-400">
          Back to the dashboard
        </Link>
      </p>
    </div>
  );
}
